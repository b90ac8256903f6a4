import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Fieldset, Form, Label, Table, TextInput } from '@trussworks/react-uswds';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../api';
import { dateTime, PURPOSE_LABELS, words } from '../words';

interface AuditPage {
  entries: {
    seq: number;
    at: string;
    actor: string;
    action: string;
    objectType: string | null;
    objectId: string | null;
    childId: number | null;
    purpose: string | null;
    result: string;
    detail: Record<string, unknown>;
  }[];
  nextCursor: number | null;
}

const FILTERS = ['actor', 'childId', 'from', 'to'] as const;

/** Dates are typed as days; the API takes times: a day's start, and for "to" the start of the next day. */
function apiQuery(params: URLSearchParams, before?: number): URLSearchParams {
  const query = new URLSearchParams({ limit: '100' });
  const actor = params.get('actor')?.trim();
  const childId = params.get('childId')?.trim();
  const from = params.get('from');
  const to = params.get('to');
  if (actor) query.set('actor', actor);
  if (childId) query.set('childId', childId);
  if (from) query.set('from', `${from}T00:00:00Z`);
  if (to) query.set('to', new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString());
  if (before) query.set('before', String(before));
  return query;
}

/** Who read or changed what, newest first; the filters live in the address, so a view can be shared. */
export function AuditLog() {
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState(() =>
    Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ''])),
  );
  const log = useInfiniteQuery({
    queryKey: ['audit', params.toString()],
    queryFn: ({ pageParam }) => api<AuditPage>(`/api/v1/audit?${apiQuery(params, pageParam)}`),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    retry: false,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setParams(Object.fromEntries(Object.entries(form).filter(([, value]) => value.trim() !== '')));
  };
  const field = (name: (typeof FILTERS)[number], label: string, type: 'text' | 'date', hint?: string) => (
    <div className="grid-col-12 tablet:grid-col-3 padding-right-2">
      <Label htmlFor={`audit-${name}`} hint={hint}>
        {label}
      </Label>
      {type === 'date' ? (
        <input
          className="usa-input"
          id={`audit-${name}`}
          name={name}
          type="date"
          value={form[name] ?? ''}
          onChange={(event) => setForm({ ...form, [name]: event.target.value })}
        />
      ) : (
        <TextInput
          id={`audit-${name}`}
          name={name}
          type="text"
          value={form[name] ?? ''}
          onChange={(event) => setForm({ ...form, [name]: event.target.value })}
          {...(name === 'childId' ? { inputMode: 'numeric' as const, pattern: '[0-9]*' } : {})}
        />
      )}
    </div>
  );
  const entries = log.data?.pages.flatMap((page) => page.entries) ?? [];
  return (
    <>
      <h1>Audit log</h1>
      <p className="usa-intro">
        Every sign-in, every case opened (with its reason), every list and export. Your reading of this log is
        recorded too.
      </p>
      <Form onSubmit={submit} className="maxw-full">
        <Fieldset legend="Filter the entries">
          <div className="grid-row">
            {field('actor', 'Person (username)', 'text')}
            {field('childId', 'Child id', 'text')}
            {field('from', 'From (day)', 'date')}
            {field('to', 'To (day, included)', 'date')}
          </div>
          <Button type="submit">Show entries</Button>
          <Button
            type="button"
            unstyled
            className="margin-left-2"
            onClick={() => {
              setForm({ actor: '', childId: '', from: '', to: '' });
              setParams({});
            }}
          >
            Clear filters
          </Button>
        </Fieldset>
      </Form>
      {log.error ? (
        <Alert type="error" headingLevel="h2" heading="The log could not be read" role="alert">
          {log.error.message}
        </Alert>
      ) : log.isPending ? (
        <p aria-live="polite">Loading entries…</p>
      ) : (
        <>
          <Table bordered striped fullWidth scrollable>
            <caption>
              {entries.length} {entries.length === 1 ? 'entry' : 'entries'}
              {log.hasNextPage ? ' so far' : ''}, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Person</th>
                <th scope="col">Action</th>
                <th scope="col">About</th>
                <th scope="col">Reason given</th>
                <th scope="col">Result</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.seq}>
                  <td>{dateTime(entry.at)}</td>
                  <td>{entry.actor}</td>
                  <td>{entry.action}</td>
                  <td>
                    {entry.childId !== null
                      ? `child ${entry.childId}`
                      : entry.objectType
                        ? `${entry.objectType} ${entry.objectId ?? ''}`
                        : '—'}
                  </td>
                  <td>{entry.purpose ? words(entry.purpose, PURPOSE_LABELS) : '—'}</td>
                  <td>
                    {entry.result === 'denied' || entry.result === 'failed' ? (
                      <strong>{entry.result}</strong>
                    ) : (
                      entry.result
                    )}
                  </td>
                  <td className="font-mono-3xs">
                    {Object.keys(entry.detail).length ? JSON.stringify(entry.detail) : '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
          {log.hasNextPage ? (
            <Button
              type="button"
              outline
              disabled={log.isFetchingNextPage}
              onClick={() => log.fetchNextPage()}
            >
              {log.isFetchingNextPage ? 'Loading…' : 'Show older entries'}
            </Button>
          ) : null}
        </>
      )}
    </>
  );
}
