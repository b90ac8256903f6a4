import { Table } from '@trussworks/react-uswds';
import type { Trends } from '../reports';
import { number } from '../words';

/** The monthly trends as a table: the figures behind the dashboard's bars and the printed report. */
export function MonthlyTable({
  months,
  caption,
  screen = false,
}: {
  months: Trends['months'];
  caption: string;
  /** On screen: striped, and scrolling sideways on a narrow window; in print, plain. */
  screen?: boolean;
}) {
  return (
    <Table bordered compact striped={screen} scrollable={screen}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Month</th>
          <th scope="col">Released to a sponsor</th>
          <th scope="col">NTAs issued</th>
          <th scope="col">Failures to appear</th>
        </tr>
      </thead>
      <tbody>
        {months.map((m) => (
          <tr key={m.month}>
            <th scope="row">{m.month}</th>
            <td className="text-right">{number(m.released)}</td>
            <td className="text-right">{number(m.ntaIssued)}</td>
            <td className="text-right">{number(m.failedToAppear)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
