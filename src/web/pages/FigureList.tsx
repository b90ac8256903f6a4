import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Table, Tag } from '@trussworks/react-uswds';
import { Link, useParams, useSearchParams } from 'react-router';
import { api } from '../api';
import type { Session } from '../session';
import { aNumber, number, STATUS_LABELS, words } from '../words';

interface FigurePage {
  figure: string;
  label: string;
  office: string | null;
  children: {
    id: number;
    givenNames: string | null;
    surnames: string | null;
    aNumber: string | null;
    orrId: string | null;
    fieldOfficeCode: string | null;
    status: string;
    protected1367: boolean;
  }[];
  nextCursor: number | null;
}

/** The children behind one figure: every number on the dashboard can be checked child by child. */
export function FigureList({ session }: { session: Session }) {
  const { figure = '' } = useParams();
  const [params] = useSearchParams();
  const office = params.get('office') ?? session.fieldOfficeCode ?? '';
  const query = (after?: number) =>
    new URLSearchParams({
      limit: '100',
      ...(office ? { office } : {}),
      ...(after ? { after: String(after) } : {}),
    });
  const pages = useInfiniteQuery({
    queryKey: ['figure-list', figure, office],
    queryFn: ({ pageParam }) =>
      api<FigurePage>(`/api/v1/reports/figures/${encodeURIComponent(figure)}/children?${query(pageParam)}`),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    retry: false,
  });
  if (pages.isPending) return <p aria-live="polite">Loading the list…</p>;
  if (pages.error) {
    return (
      <Alert type="error" headingLevel="h1" heading="The list could not be loaded" role="alert">
        {pages.error.message} <Link to="/">Back to the dashboard.</Link>
      </Alert>
    );
  }
  const first = pages.data.pages[0]!;
  const children = pages.data.pages.flatMap((page) => page.children);
  const csv = `/api/v1/reports/figures/${encodeURIComponent(figure)}/children.csv${office ? `?office=${encodeURIComponent(office)}` : ''}`;
  return (
    <>
      <h1>{first.label}</h1>
      <p className="usa-intro">
        {first.office ? `Field office ${first.office}. ` : 'All field offices. '}
        Showing {number(children.length)}
        {pages.hasNextPage ? ' so far' : ''}. Opening a case asks for your reason first.{' '}
        <a href={csv} download>
          Download the whole list (CSV)
        </a>
      </p>
      <Table bordered striped fullWidth>
        <caption>The children counted in this figure, by child id</caption>
        <thead>
          <tr>
            <th scope="col">Child</th>
            <th scope="col">Name</th>
            <th scope="col">A-number</th>
            <th scope="col">Status</th>
            <th scope="col">Field office</th>
          </tr>
        </thead>
        <tbody>
          {children.map((child) => (
            <tr key={child.id}>
              <td>
                <Link to={`/children/${child.id}`}>{child.id}</Link>
              </td>
              <td>
                {[child.givenNames, child.surnames].filter(Boolean).join(' ') || '—'}
                {child.protected1367 ? (
                  <>
                    {' '}
                    <Tag className="bg-base-dark">§ 1367 protected</Tag>
                  </>
                ) : null}
              </td>
              <td>{aNumber(child.aNumber)}</td>
              <td>{words(child.status, STATUS_LABELS)}</td>
              <td>{child.fieldOfficeCode ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      {children.length === 0 ? <p>No children are counted in this figure.</p> : null}
      {pages.hasNextPage ? (
        <Button
          type="button"
          outline
          disabled={pages.isFetchingNextPage}
          onClick={() => pages.fetchNextPage()}
        >
          {pages.isFetchingNextPage ? 'Loading…' : 'Show the next 100'}
        </Button>
      ) : null}
    </>
  );
}
