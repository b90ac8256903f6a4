import { Alert, Button, Table } from '@trussworks/react-uswds';
import { MonthlyTable } from '../components/MonthlyTable';
import { useNationalReport, useOfficeComparison, useTrends } from '../reports';
import { dateTime, FIGURE_KEYS, FIGURE_LABELS, number, percent, QUALITY_LABELS } from '../words';

/** The oversight report, laid out to print (src/web/print.css): figures, offices, data quality, trends. */
export function OversightReport() {
  const report = useNationalReport();
  const workload = useOfficeComparison();
  const trends = useTrends();
  if (report.isPending) return <p aria-live="polite">Loading the report…</p>;
  if (report.error) {
    return (
      <Alert type="error" headingLevel="h1" heading="The report could not be loaded" role="alert">
        {report.error.message}
      </Alert>
    );
  }
  const data = report.data;
  const offices = Object.keys(data.by_field_office).sort();
  const tasks = new Map((workload.data?.offices ?? []).map((office) => [office.code, office]));
  const qualityKeys = Object.keys(QUALITY_LABELS);
  return (
    <article className="oversight-report">
      <h1>Oversight report: unaccompanied children released from federal custody</h1>
      <p className="usa-intro">
        As of {dateTime(data.asOf)}. Every figure counts children from their current records; each can be
        traced to the children behind it. Names are not part of this report.
      </p>
      <p className="no-print">
        <Button type="button" onClick={() => window.print()}>
          Print this report
        </Button>{' '}
        <a className="usa-button usa-button--outline" href="/api/v1/reports/national.csv" download>
          Download as CSV
        </a>
      </p>
      <h2>National figures</h2>
      <Table bordered compact>
        <caption>Children, nationwide</caption>
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col">Children</th>
          </tr>
        </thead>
        <tbody>
          {FIGURE_KEYS.map((key) => (
            <tr key={key}>
              <th scope="row">{FIGURE_LABELS[key]}</th>
              <td className="text-right">{number(data[key])}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">Share of failures to appear followed by a locate attempt</th>
            <td className="text-right">{percent(data.locate_attempt_share)}</td>
          </tr>
        </tbody>
      </Table>

      <h2>By field office</h2>
      <Table bordered compact fullWidth>
        <caption>Figures and open work for each ICE ERO area of responsibility</caption>
        <thead>
          <tr>
            <th scope="col">Office</th>
            {FIGURE_KEYS.map((key) => (
              <th key={key} scope="col">
                {FIGURE_LABELS[key]}
              </th>
            ))}
            <th scope="col">Open tasks</th>
            <th scope="col">Overdue tasks</th>
          </tr>
        </thead>
        <tbody>
          {offices.map((office) => (
            <tr key={office}>
              <th scope="row">{office}</th>
              {FIGURE_KEYS.map((key) => (
                <td key={key} className="text-right">
                  {number(data.by_field_office[office]?.[key] ?? 0)}
                </td>
              ))}
              <td className="text-right">{tasks.has(office) ? number(tasks.get(office)!.openTasks) : '—'}</td>
              <td className="text-right">
                {tasks.has(office) ? number(tasks.get(office)!.overdueTasks) : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>

      <h2>Data quality by field office</h2>
      <Table bordered compact fullWidth>
        <caption>Records each office should correct</caption>
        <thead>
          <tr>
            <th scope="col">Office</th>
            {qualityKeys.map((key) => (
              <th key={key} scope="col">
                {QUALITY_LABELS[key]}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {offices.map((office) => (
            <tr key={office}>
              <th scope="row">{office}</th>
              {qualityKeys.map((key) => (
                <td key={key} className="text-right">
                  {number((data.data_quality[office] as Record<string, number> | undefined)?.[key] ?? 0)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </Table>

      {trends.data ? (
        <>
          <h2>By month</h2>
          <MonthlyTable
            months={trends.data.months}
            caption="Events recorded each month (UTC), last 24 months"
          />
        </>
      ) : null}
      <p className="font-sans-3xs">Produced by Whereabouts on {dateTime(new Date().toISOString())}.</p>
    </article>
  );
}
