import { useQuery } from '@tanstack/react-query';
import { Alert, Table } from '@trussworks/react-uswds';
import type { NationalReport } from '../../reports';
import { api } from '../api';

const FIGURES: [
  Exclude<keyof NationalReport, 'asOf' | 'by_field_office' | 'data_quality' | 'locate_attempt_share'>,
  string,
][] = [
  ['transferred', 'Transferred to ORR'],
  ['released', 'Released to a sponsor'],
  ['no_nta', 'Never issued a Notice to Appear'],
  ['nta_not_filed', 'NTA not filed with the court'],
  ['failed_to_appear', 'Failed to appear at a hearing'],
  ['address_defects', 'Release forms with a defective address'],
  ['runaways', 'Reported as runaways'],
  ['whereabouts_unknown', 'Whereabouts unknown'],
];

const number = (value: number) => value.toLocaleString('en-US');

/** The oversight figures: aggregates only, so every role with report.read sees the same page. */
export function NationalFigures() {
  const report = useQuery({
    queryKey: ['reports', 'national'],
    queryFn: () => api<NationalReport>('/api/v1/reports/national'),
  });
  if (report.isPending) return <p aria-live="polite">Loading the national figures…</p>;
  if (report.error) {
    return (
      <Alert type="error" headingLevel="h2" heading="The figures could not be loaded" role="alert">
        {report.error.message}
      </Alert>
    );
  }
  const data = report.data;
  const offices = Object.entries(data.by_field_office).sort(([a], [b]) => a.localeCompare(b));
  return (
    <>
      <h1>National figures</h1>
      <p className="usa-intro">
        As of {new Date(data.asOf).toLocaleString('en-US', { dateStyle: 'long', timeStyle: 'short' })}.
      </p>
      <ul className="usa-card-group">
        {FIGURES.map(([key, label]) => (
          <li key={key} className="usa-card tablet:grid-col-3">
            <div className="usa-card__container">
              <div className="usa-card__body">
                <p className="font-sans-xl text-bold margin-y-1">{number(data[key])}</p>
                <p className="margin-0">{label}</p>
              </div>
            </div>
          </li>
        ))}
      </ul>
      <p>
        Of the children who failed to appear, {Math.round(data.locate_attempt_share * 100)}% have had a locate
        attempt since.
      </p>
      <h2>By field office</h2>
      <Table bordered striped fullWidth scrollable>
        <caption>Figures for each ICE ERO area of responsibility</caption>
        <thead>
          <tr>
            <th scope="col">Field office</th>
            {FIGURES.map(([key, label]) => (
              <th key={key} scope="col">
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {offices.map(([office, counts]) => (
            <tr key={office}>
              <th scope="row">{office}</th>
              {FIGURES.map(([key]) => (
                <td key={key} className="text-right">
                  {number(counts[key] ?? 0)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </Table>
    </>
  );
}
