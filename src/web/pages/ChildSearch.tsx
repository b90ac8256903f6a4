import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Label, Table, TextInput } from '@trussworks/react-uswds';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api';
import { aNumber, STATUS_LABELS, words } from '../words';

interface Hit {
  id: number;
  givenNames?: string | null;
  surnames?: string | null;
  aNumber?: string | null;
  orrId?: string | null;
  status?: string | null;
  fieldOfficeCode?: string | null;
  matched: string;
  view: 'full' | 'minimum_1367' | 'limited';
}

interface SearchPage {
  children: Hit[];
  nextCursor: string | null;
}

const MATCHED_LABELS: Record<string, string> = {
  a_number: 'A-number',
  orr_id: 'ORR case id',
  name: 'Name',
  sponsor: 'Sponsor’s name',
  address: 'Address',
};

const nameOf = (hit: Hit) =>
  [hit.givenNames, hit.surnames].filter(Boolean).join(' ') || `Child ${hit.id} (name withheld)`;

/** One box to find a child: A-number in any writing, ORR case id, name, sponsor's name or address words. */
export function ChildSearch() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q')?.trim() ?? '';
  const [text, setText] = useState(q);
  const tooShort = text.trim().length > 0 && text.trim().length < 2;
  const search = useInfiniteQuery({
    queryKey: ['search', q],
    queryFn: ({ pageParam }) =>
      api<SearchPage>(
        `/api/v1/children?${new URLSearchParams({ q, ...(pageParam ? { cursor: pageParam } : {}) })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: q.length >= 2,
    retry: false,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim().length >= 2) setParams({ q: text.trim() });
  };
  const hits = search.data?.pages.flatMap((page) => page.children) ?? [];
  return (
    <>
      <h1>Find a child</h1>
      <Form onSubmit={submit} role="search" className="maxw-tablet">
        <Label
          htmlFor="child-search"
          hint=" An A-number (A-123-456-789 or 123456789), an ORR case id, a name, a sponsor’s name or words of an address. Every search is recorded."
        >
          Name, A-number, ORR case id, sponsor or address
        </Label>
        <TextInput
          id="child-search"
          name="q"
          type="search"
          autoComplete="off"
          value={text}
          onChange={(event) => setText(event.target.value)}
          validationStatus={tooShort ? 'error' : undefined}
          aria-describedby={tooShort ? 'child-search-error' : undefined}
        />
        {tooShort ? (
          <span className="usa-error-message" id="child-search-error" role="alert">
            Type at least 2 letters or digits.
          </span>
        ) : null}
        <Button type="submit" disabled={text.trim().length < 2}>
          Search
        </Button>
      </Form>
      <div aria-live="polite">
        {q.length < 2 ? null : search.error ? (
          <Alert type="error" headingLevel="h2" heading="The search did not run" role="alert">
            {search.error.message}
          </Alert>
        ) : search.isPending ? (
          <p>Searching…</p>
        ) : hits.length === 0 ? (
          <Alert type="info" headingLevel="h2" heading="No child found" slim>
            Nothing in your scope matches “{q}”. Check the spelling or the A-number, or try a surname alone.
          </Alert>
        ) : (
          <>
            <Table bordered striped fullWidth scrollable>
              <caption>
                {hits.length} {hits.length === 1 ? 'child' : 'children'}
                {search.hasNextPage ? ' so far' : ''} matching “{q}”
              </caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">A-number</th>
                  <th scope="col">ORR case id</th>
                  <th scope="col">Field office</th>
                  <th scope="col">Status</th>
                  <th scope="col">Matched on</th>
                </tr>
              </thead>
              <tbody>
                {hits.map((hit) => (
                  <tr key={hit.id}>
                    <th scope="row">
                      <Link to={`/children/${hit.id}`}>{nameOf(hit)}</Link>
                    </th>
                    <td>{aNumber(hit.aNumber)}</td>
                    <td>{hit.orrId ?? '—'}</td>
                    <td>{hit.fieldOfficeCode ?? '—'}</td>
                    <td>{words(hit.status, STATUS_LABELS)}</td>
                    <td>{words(hit.matched, MATCHED_LABELS)}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
            {search.hasNextPage ? (
              <Button
                type="button"
                outline
                disabled={search.isFetchingNextPage}
                onClick={() => search.fetchNextPage()}
              >
                {search.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </Button>
            ) : null}
          </>
        )}
      </div>
      <p className="margin-top-4">
        Have the Whereabouts child id already? <Link to="/children">Open a case by its id.</Link>
      </p>
    </>
  );
}
