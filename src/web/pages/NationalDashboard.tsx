import { Alert, Table } from '@trussworks/react-uswds';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { MonthlyBars } from '../components/MonthlyBars';
import { MonthlyTable } from '../components/MonthlyTable';
import { stateCounts, UsMap } from '../components/UsMap';
import { officeAreas } from '../field-offices';
import { figureListLink, useByState, useNationalReport, useOfficeComparison, useTrends } from '../reports';
import type { Session } from '../session';
import { dateTime, FIGURE_KEYS, FIGURE_LABELS, number, percent } from '../words';

/** The oversight figures, their trend, where the children are unknown, and the field offices side by side. */
export function NationalDashboard({ session }: { session: Session }) {
  const report = useNationalReport();
  if (report.isPending) return <p aria-live="polite">Loading the national figures…</p>;
  if (report.error) {
    return (
      <Alert type="error" headingLevel="h1" heading="The figures could not be loaded" role="alert">
        {report.error.message}
      </Alert>
    );
  }
  const data = report.data;
  const canList = session.permissions.includes('report.list_children');
  return (
    <>
      <h1>National dashboard</h1>
      <p className="usa-intro">
        As of {dateTime(data.asOf)}.{' '}
        {canList
          ? `Select a number to see the children it counts${session.fieldOfficeCode ? ` in ${session.fieldOfficeCode}` : ''}.`
          : 'Figures only: names are not shown to your role.'}{' '}
        <Link to="/reports/oversight">Printable oversight report</Link> ·{' '}
        <a href="/api/v1/reports/national.csv" download>
          Download the figures (CSV)
        </a>
      </p>
      <ul className="usa-card-group" aria-label="National figures">
        {FIGURE_KEYS.map((key) => {
          const to = figureListLink(session, key);
          return (
            <li key={key} className="usa-card tablet:grid-col-6 desktop:grid-col-3">
              <div className="usa-card__container">
                <div className="usa-card__body">
                  <p className="font-sans-xl text-bold margin-y-1">{number(data[key])}</p>
                  <p className="margin-0">
                    {to ? <Link to={to}>{FIGURE_LABELS[key]}</Link> : FIGURE_LABELS[key]}
                  </p>
                </div>
              </div>
            </li>
          );
        })}
      </ul>
      <p>
        Of the children who failed to appear, <strong>{percent(data.locate_attempt_share)}</strong> have had a
        locate attempt since.
      </p>
      <Trends />
      <WhereaboutsMap byOffice={data.by_field_office} />
      <OfficesCompared session={session} />
    </>
  );
}

function Part({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="margin-top-5" aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function Trends() {
  const trends = useTrends();
  if (!trends.data)
    return (
      <Part title="Trends by month">{trends.error ? <p>{trends.error.message}</p> : <p>Loading…</p>}</Part>
    );
  const months = trends.data.months.map((m) => m.month);
  return (
    <Part title="Trends by month">
      <div className="grid-row grid-gap">
        <div className="tablet:grid-col-4">
          <MonthlyBars
            title="Released to a sponsor"
            months={months}
            values={trends.data.months.map((m) => m.released)}
          />
        </div>
        <div className="tablet:grid-col-4">
          <MonthlyBars
            title="Notices to Appear issued"
            months={months}
            values={trends.data.months.map((m) => m.ntaIssued)}
          />
        </div>
        <div className="tablet:grid-col-4">
          <MonthlyBars
            title="Failures to appear"
            months={months}
            values={trends.data.months.map((m) => m.failedToAppear)}
          />
        </div>
      </div>
      <details>
        <summary>The numbers by month</summary>
        <MonthlyTable months={trends.data.months} caption="Events recorded each month (UTC)" screen />
      </details>
    </Part>
  );
}

type OfficeFigures = Record<string, Record<string, number>>;

/** Where children's whereabouts are unknown, on the map by state or by field office area (a choice). */
function WhereaboutsMap({ byOffice }: { byOffice: OfficeFigures }) {
  const [view, setView] = useState<'state' | 'office'>('state');
  return (
    <Part title="Where children’s whereabouts are unknown">
      <fieldset className="usa-fieldset">
        <legend className="usa-legend">Show the map</legend>
        {(
          [
            ['state', 'By state'],
            ['office', 'By field office area'],
          ] as const
        ).map(([value, label]) => (
          <div key={value} className="usa-radio display-inline-block margin-right-3">
            <input
              className="usa-radio__input"
              id={`map-view-${value}`}
              type="radio"
              name="map-view"
              value={value}
              checked={view === value}
              onChange={() => setView(value)}
            />
            <label className="usa-radio__label" htmlFor={`map-view-${value}`}>
              {label}
            </label>
          </div>
        ))}
      </fieldset>
      {view === 'state' ? <ByStateMap /> : <ByOfficeMap byOffice={byOffice} />}
    </Part>
  );
}

function ByStateMap() {
  const byState = useByState();
  if (!byState.data) return byState.error ? <p>{byState.error.message}</p> : <p>Loading…</p>;
  const rows = stateCounts(byState.data.states).filter((row) => row.count > 0);
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  const top = rows
    .slice(0, 3)
    .map((row) => `${row.name} ${number(row.count)}`)
    .join(', ');
  return (
    <>
      <p>
        Children released to a sponsor, case still open, whose whereabouts nobody has confirmed — by the state
        of their last known address. {number(byState.data.noState)} more have no address in a known state.
      </p>
      <div className="maxw-tablet-lg">
        <UsMap
          counts={byState.data.states}
          title="Map: whereabouts unknown, by state"
          description={`${number(total)} children in ${rows.length} states; most in ${top || 'none'}. The same numbers are in the table below the map.`}
        />
      </div>
      <details>
        <summary>The numbers by state</summary>
        <Table bordered striped compact>
          <caption>Whereabouts unknown, by state, largest first</caption>
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col">Children</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.code}>
                <th scope="row">{row.name}</th>
                <td className="text-right">{number(row.count)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      </details>
    </>
  );
}

/**
 * The same figure by ICE field office: each office's count drawn over the states of its area. Texas,
 * California and New York are split between offices (by county; here by ZIP prefix), and a state cannot be
 * drawn in parts without county outlines: a split state shows the largest of its offices' counts, and its
 * label and the table name every office in it.
 */
function ByOfficeMap({ byOffice }: { byOffice: OfficeFigures }) {
  const unknownIn = (code: string) => byOffice[code]?.whereabouts_unknown ?? 0;
  const offices = officeAreas
    .map((office) => ({ ...office, count: unknownIn(office.code) }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  const officesOf = new Map<string, typeof offices>();
  for (const office of offices)
    for (const state of office.states) officesOf.set(state, [...(officesOf.get(state) ?? []), office]);
  const counts = Object.fromEntries(
    [...officesOf].map(([state, list]) => [state, Math.max(...list.map((office) => office.count))]),
  );
  const split = [...officesOf].filter(([, list]) => list.length > 1).map(([state]) => state);
  const total = offices.reduce((sum, office) => sum + office.count, 0);
  const top = offices
    .slice(0, 3)
    .map((office) => `${office.name} ${number(office.count)}`)
    .join(', ');
  return (
    <>
      <p>
        The same children by the ICE field office whose area they live in, each office’s count shown over the
        states it covers. {split.join(', ')} are split between offices: the map shows the largest of their
        offices’ counts there; the table gives each office. {number(unknownIn('unassigned'))} more are in no
        office’s area yet.
      </p>
      <div className="maxw-tablet-lg">
        <UsMap
          counts={counts}
          title="Map: whereabouts unknown, by field office area"
          description={`${number(total)} children in ${offices.filter((office) => office.count > 0).length} field office areas; most in ${top || 'none'}. The same numbers are in the table below the map.`}
          stateTitle={(state) =>
            `${state.name}: ${(officesOf.get(state.code) ?? [])
              .map((office) => `${office.name} field office ${number(office.count)}`)
              .join('; ')}`
          }
        />
      </div>
      <details>
        <summary>The numbers by field office</summary>
        <Table bordered striped compact>
          <caption>Whereabouts unknown, by field office, largest first</caption>
          <thead>
            <tr>
              <th scope="col">Field office</th>
              <th scope="col">Area (states)</th>
              <th scope="col">Children</th>
            </tr>
          </thead>
          <tbody>
            {offices.map((office) => (
              <tr key={office.code}>
                <th scope="row">
                  {office.name} ({office.code})
                </th>
                <td>
                  {office.states
                    .map((state) => (office.partOf.includes(state) ? `${state} (part)` : state))
                    .join(', ')}
                </td>
                <td className="text-right">{number(office.count)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      </details>
    </>
  );
}

function OfficesCompared({ session }: { session: Session }) {
  const report = useNationalReport();
  const workload = useOfficeComparison();
  const figures = report.data?.by_field_office ?? {};
  const offices = workload.data?.offices ?? [];
  const cell = (value: number, figure: string, office: string) => {
    const to = figureListLink(session, figure, office);
    return (
      <td className="text-right">
        {to ? (
          <Link
            to={to}
            aria-label={`${number(value)} ${FIGURE_LABELS[figure as keyof typeof FIGURE_LABELS]} in ${office}`}
          >
            {number(value)}
          </Link>
        ) : (
          number(value)
        )}
      </td>
    );
  };
  return (
    <Part title="Field offices compared">
      {workload.error ? <p>{workload.error.message}</p> : null}
      <Table bordered striped fullWidth scrollable>
        <caption>
          Each ICE ERO area of responsibility: work open, work overdue, and the children it concerns
        </caption>
        <thead>
          <tr>
            <th scope="col">Field office</th>
            <th scope="col">Open tasks</th>
            <th scope="col">Overdue tasks</th>
            <th scope="col">Released</th>
            <th scope="col">Whereabouts unknown</th>
            <th scope="col">Failed to appear</th>
            <th scope="col">Locate attempt after a failure to appear</th>
          </tr>
        </thead>
        <tbody>
          {offices.map((office) => {
            const counts = figures[office.code];
            return (
              <tr key={office.code}>
                <th scope="row">
                  {office.name} ({office.code})
                </th>
                <td className="text-right">{number(office.openTasks)}</td>
                <td className="text-right">
                  {number(office.overdueTasks)}
                  {office.openTasks > 0 ? ` (${percent(office.overdueTasks / office.openTasks)})` : ''}
                </td>
                {cell(counts?.released ?? 0, 'released', office.code)}
                {cell(counts?.whereabouts_unknown ?? 0, 'whereabouts_unknown', office.code)}
                {cell(counts?.failed_to_appear ?? 0, 'failed_to_appear', office.code)}
                <td className="text-right">
                  {counts?.failed_to_appear ? percent(counts.locate_attempt_share ?? 0) : '—'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      {figures.unassigned ? (
        <p>
          {number(figures.unassigned.released ?? 0)} released children are in no field office yet (no address
          that places them).
        </p>
      ) : null}
    </Part>
  );
}
