import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Fieldset, Form, Label, Select, Table, TextInput } from '@trussworks/react-uswds';
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api';
import type { Session } from '../session';
import { ADDRESS_REASON_LABELS, day, STATUS_LABELS, VERDICT_LABELS, words } from '../words';

interface AddressRow {
  childId: number;
  givenNames?: string | null;
  surnames?: string | null;
  fieldOfficeCode: string | null;
  status: string;
  nextHearingAt: string | null;
  openAlerts: number;
  verdict: string;
  written: string | null;
  deliveryLine: string | null;
  lastLine: string | null;
  reasons: { code: string; detail?: string }[];
}

interface AddressPage {
  addresses: AddressRow[];
  nextCursor: string | null;
}

const NEEDING_ACTION = Object.keys(VERDICT_LABELS).filter((verdict) => verdict !== 'deliverable_likely');

function apiQuery(params: URLSearchParams, cursor?: string) {
  const query = new URLSearchParams({ limit: '50' });
  for (const name of ['verdict', 'office']) {
    const value = params.get(name)?.trim();
    if (value) query.set(name, value);
  }
  if (cursor) query.set('cursor', cursor);
  return query;
}

/**
 * The addresses that need someone's action: children whose current address will probably not bring a court
 * notice or a visit, the hearing soonest first, each with what is wrong with the address in words.
 */
export function AddressesNeedingAction({ session }: { session: Session }) {
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState({
    verdict: params.get('verdict') ?? '',
    office: params.get('office') ?? '',
  });
  const list = useInfiniteQuery({
    queryKey: ['addresses', params.toString()],
    queryFn: ({ pageParam }) => api<AddressPage>(`/api/v1/addresses?${apiQuery(params, pageParam)}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    retry: false,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setParams(
      Object.fromEntries(
        Object.entries({ ...form, office: form.office.trim().toUpperCase() }).filter(([, value]) => value),
      ),
    );
  };
  const rows = list.data?.pages.flatMap((page) => page.addresses) ?? [];
  return (
    <>
      <h1>Addresses needing action</h1>
      <p className="usa-intro">
        Children{session.fieldOfficeCode ? ` in ${session.fieldOfficeCode}` : ''} whose current address will
        probably not bring a court notice or a visit to them. The hearing soonest comes first, then the
        children with the most open alerts.
      </p>
      <Form onSubmit={submit} className="maxw-full">
        <Fieldset legend="Filter the addresses">
          <div className="grid-row">
            <div className="grid-col-12 tablet:grid-col-6 padding-right-2">
              <Label htmlFor="addresses-verdict">What is wrong</Label>
              <Select
                id="addresses-verdict"
                name="verdict"
                value={form.verdict}
                onChange={(event) => setForm({ ...form, verdict: event.target.value })}
              >
                <option value="">Anything</option>
                {NEEDING_ACTION.map((verdict) => (
                  <option key={verdict} value={verdict}>
                    {VERDICT_LABELS[verdict]}
                  </option>
                ))}
              </Select>
            </div>
            {session.fieldOfficeCode ? null : (
              <div className="grid-col-12 tablet:grid-col-3 padding-right-2">
                <Label htmlFor="addresses-office" hint=" A code such as HOU; empty for all">
                  Field office
                </Label>
                <TextInput
                  id="addresses-office"
                  name="office"
                  type="text"
                  autoComplete="off"
                  value={form.office}
                  onChange={(event) => setForm({ ...form, office: event.target.value })}
                />
              </div>
            )}
          </div>
          <Button type="submit">Show addresses</Button>
        </Fieldset>
      </Form>
      {list.error ? (
        <Alert type="error" headingLevel="h2" heading="The addresses could not be listed" role="alert">
          {list.error.message}
        </Alert>
      ) : list.isPending ? (
        <p aria-live="polite">Loading addresses…</p>
      ) : rows.length === 0 ? (
        <p aria-live="polite">No addresses need action with these filters.</p>
      ) : (
        <>
          <Table bordered striped fullWidth scrollable>
            <caption>
              {rows.length} {rows.length === 1 ? 'child' : 'children'}
              {list.hasNextPage ? ' so far' : ''}, the hearing soonest first
            </caption>
            <thead>
              <tr>
                <th scope="col">Child</th>
                <th scope="col">Next hearing</th>
                <th scope="col">Open alerts</th>
                <th scope="col">Address on record</th>
                <th scope="col">What is wrong</th>
                <th scope="col">Status</th>
                <th scope="col">Field office</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.childId}>
                  <td>
                    <Link to={`/children/${row.childId}`}>
                      {[row.givenNames, row.surnames].filter(Boolean).join(' ') || `Child ${row.childId}`}
                    </Link>
                  </td>
                  <td>{row.nextHearingAt ? day(row.nextHearingAt) : 'None scheduled'}</td>
                  <td>{row.openAlerts}</td>
                  <td>
                    {row.written ? (
                      <>
                        {row.written}
                        {row.deliveryLine ? (
                          <div className="font-sans-2xs text-base-dark">
                            Standard form: {[row.deliveryLine, row.lastLine].filter(Boolean).join(', ')}
                          </div>
                        ) : null}
                      </>
                    ) : (
                      'No address on record'
                    )}
                  </td>
                  <td>
                    <strong>{words(row.verdict, VERDICT_LABELS)}</strong>
                    {row.reasons.length > 0 ? (
                      <ul className="usa-list usa-list--unstyled font-sans-2xs">
                        {row.reasons.map((reason) => (
                          <li key={`${reason.code}${reason.detail ?? ''}`}>
                            {words(reason.code, ADDRESS_REASON_LABELS)}
                            {reason.detail ? ` (${reason.detail})` : ''}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </td>
                  <td>{words(row.status, STATUS_LABELS)}</td>
                  <td>{row.fieldOfficeCode ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </Table>
          {list.hasNextPage ? (
            <Button
              type="button"
              outline
              disabled={list.isFetchingNextPage}
              onClick={() => list.fetchNextPage()}
            >
              {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </Button>
          ) : null}
        </>
      )}
    </>
  );
}
