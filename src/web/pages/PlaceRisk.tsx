import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Table, Tag } from '@trussworks/react-uswds';
import { Link } from 'react-router';
import { api } from '../api';
import { day, STATUS_LABELS, TASK_STATE_LABELS, words } from '../words';

interface Place {
  kind: 'address' | 'sponsor';
  label: string;
  children: number;
  shown: {
    childId: number;
    givenNames?: string | null;
    surnames?: string | null;
    fieldOfficeCode: string | null;
    status: string;
    why: string;
    alert: { id: number; openedAt: string } | null;
    task: { id: number; state: string; officeCode: string | null; assignee: string | null } | null;
    view: string;
  }[];
  otherChildren: number;
}

interface PlacePage {
  minChildren: number;
  ruleEnabled: boolean;
  places: Place[];
  nextCursor: string | null;
}

/**
 * Sponsors and doors linked to many children (the shared-place rule's threshold from the policy): each place with
 * the children there the person may see, why each is linked, and the open alert and task about it.
 */
export function PlaceRisk() {
  const list = useInfiniteQuery({
    queryKey: ['risk-places'],
    queryFn: ({ pageParam }) =>
      api<PlacePage>(`/api/v1/risk/places?limit=25${pageParam ? `&cursor=${pageParam}` : ''}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    retry: false,
  });
  if (list.isPending) return <p aria-live="polite">Loading places…</p>;
  if (list.error) {
    return (
      <Alert type="error" headingLevel="h1" heading="The places could not be listed" role="alert">
        {list.error.message}
      </Alert>
    );
  }
  const first = list.data.pages[0]!;
  const places = list.data.pages.flatMap((page) => page.places);
  return (
    <>
      <h1>Sponsors and addresses shared by many children</h1>
      <p className="usa-intro">
        Places linked to {first.minChildren} or more children, the number the monitoring policy asks to review
        (possible trafficking or labor exploitation). A door is the street address with its apartment, however
        it was written; a sponsor is recognized by the phone number on the release form.
        {first.ruleEnabled
          ? ''
          : ' The shared-place rule is switched off in the policy in force: no alerts open.'}
      </p>
      {places.length === 0 ? (
        <p>No sponsor or address you may see is linked to {first.minChildren} or more children.</p>
      ) : (
        places.map((place) => <PlaceTable key={`${place.kind}:${place.label}`} place={place} />)
      )}
      {list.hasNextPage ? (
        <Button type="button" outline disabled={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
          {list.isFetchingNextPage ? 'Loading…' : 'Load more places'}
        </Button>
      ) : null}
    </>
  );
}

function PlaceTable({ place }: { place: Place }) {
  const title = `${place.kind === 'address' ? 'Address' : 'Sponsor'}: ${place.label}`;
  return (
    <section className="margin-top-4" aria-label={title}>
      <h2 className="margin-bottom-1">{title}</h2>
      <p className="margin-top-0">
        {place.children} children linked
        {place.otherChildren > 0
          ? `; ${place.otherChildren} of them outside what you may see (another field office or § 1367), counted only`
          : ''}
        .
      </p>
      <Table bordered striped fullWidth scrollable>
        <caption className="usa-sr-only">The children linked to {place.label}</caption>
        <thead>
          <tr>
            <th scope="col">Child</th>
            <th scope="col">Why linked</th>
            <th scope="col">Status</th>
            <th scope="col">Field office</th>
            <th scope="col">Shared-place alert and task</th>
          </tr>
        </thead>
        <tbody>
          {place.shown.map((child) => (
            <tr key={child.childId}>
              <td>
                <Link to={`/children/${child.childId}`}>
                  {[child.givenNames, child.surnames].filter(Boolean).join(' ') || `Child ${child.childId}`}
                </Link>
                {child.view === 'minimum_1367' ? (
                  <>
                    {' '}
                    <Tag className="bg-base-dark">§ 1367 protected</Tag>
                  </>
                ) : null}
              </td>
              <td>{child.why}</td>
              <td>{words(child.status, STATUS_LABELS)}</td>
              <td>{child.fieldOfficeCode ?? '—'}</td>
              <td>
                {child.alert
                  ? `Alert opened ${day(child.alert.openedAt)}`
                  : 'No open alert (the case may be closed)'}
                {child.task ? (
                  <div className="font-sans-2xs">
                    Task {child.task.id}: {words(child.task.state, TASK_STATE_LABELS)}
                    {child.task.officeCode ? ` in ${child.task.officeCode}` : ''},{' '}
                    {child.task.assignee ? `assigned to ${child.task.assignee}` : 'unassigned'}
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </section>
  );
}
