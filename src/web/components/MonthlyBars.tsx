import { number } from '../words';

/**
 * A small bar chart of one count per month. The bars are for the eye; the same numbers are in the table
 * beside it for screen readers and for anyone who wants the exact figure.
 */
export function MonthlyBars({
  title,
  months,
  values,
}: {
  title: string;
  months: string[];
  values: number[];
}) {
  const max = Math.max(1, ...values);
  const width = 320;
  const height = 90;
  const bar = width / Math.max(1, values.length);
  const latest = values[values.length - 1] ?? 0;
  return (
    <figure className="margin-x-0 margin-bottom-2">
      <figcaption className="text-bold">
        {title}: {number(latest)} in {months[months.length - 1] ?? '—'}
      </figcaption>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className="width-full height-auto"
        aria-hidden="true"
        focusable="false"
      >
        {values.map((value, i) => {
          const h = Math.round((value / max) * (height - 4));
          return (
            <rect
              key={months[i]}
              x={i * bar + 1}
              y={height - h}
              width={Math.max(1, bar - 2)}
              height={h}
              fill="#005ea2"
            />
          );
        })}
        <line x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} stroke="#1b1b1b" />
      </svg>
      <p className="font-sans-3xs margin-0 text-base-dark">
        {months[0]} to {months[months.length - 1]}, highest {number(max)} a month
      </p>
    </figure>
  );
}
