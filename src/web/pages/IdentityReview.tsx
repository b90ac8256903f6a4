import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, ButtonGroup, Label, Table, Textarea } from '@trussworks/react-uswds';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../api';
import { aNumber, day, percent, SOURCE_LABELS, words } from '../words';

interface Side {
  childId: number;
  source: string;
  kind: string;
  sourceKey: string;
  given: string | null;
  surnames: string | null;
  dob: string | null;
  sex: string | null;
  country: string | null;
  aNumber: string | null;
  orrId: string | null;
}

interface Pair {
  id: number;
  matchProbability: number;
  matchWeight: number;
  evidence: { fields?: { field: string; level: string; weight: number }[] };
  left: Side;
  right: Side;
}

type Decision = 'same' | 'different';

const ROWS: [label: string, value: (side: Side) => string][] = [
  ['Source', (side) => `${words(side.source, SOURCE_LABELS)} (${side.kind.replaceAll('_', ' ')})`],
  ['Record key', (side) => side.sourceKey],
  ['Given names', (side) => side.given ?? '—'],
  ['Surnames', (side) => side.surnames ?? '—'],
  ['Date of birth', (side) => day(side.dob)],
  ['Sex', (side) => side.sex ?? '—'],
  ['Country of birth', (side) => side.country ?? '—'],
  ['A-number', (side) => aNumber(side.aNumber)],
  ['ORR case id', (side) => side.orrId ?? '—'],
];

const weight = (value: number) => (value > 0 ? `+${value.toFixed(1)}` : value.toFixed(1));

/**
 * Pairs of records the model could not decide, one at a time: the two side by side, the evidence field by
 * field, and a person's decision — applied at once and kept by every later run. Then the next pair.
 */
export function IdentityReview() {
  const client = useQueryClient();
  const [note, setNote] = useState('');
  const pairs = useQuery({
    queryKey: ['review-pairs'],
    queryFn: () => api<{ pairs: Pair[]; nextCursor: number | null }>('/api/v1/review-pairs?limit=50'),
    retry: false,
  });
  const decide = useMutation({
    mutationFn: ({ id, decision }: { id: number; decision: Decision }) =>
      api<{ childrenBefore: number; childrenAfter: number }>(`/api/v1/review-pairs/${id}/decision`, {
        method: 'POST',
        body: { decision, ...(note.trim() ? { note: note.trim() } : {}) },
      }),
    onSuccess: () => {
      setNote('');
      void client.invalidateQueries({ queryKey: ['review-pairs'] });
    },
  });
  const pending = pairs.data?.pairs ?? [];
  const pair = pending[0];
  return (
    <>
      <h1>Identity review</h1>
      <p className="usa-intro">
        Are these two records the same child? Your decision is applied at once and kept by every later run.
      </p>
      <div aria-live="polite">
        {decide.error ? (
          <Alert type="error" headingLevel="h2" heading="The decision was not recorded" slim>
            {decide.error.message}
          </Alert>
        ) : decide.data && decide.variables ? (
          <Alert type="success" headingLevel="h2" slim>
            Pair {decide.variables.id} decided:{' '}
            {decide.variables.decision === 'same' ? 'the same child' : 'not the same child'}.
          </Alert>
        ) : null}
      </div>
      {pairs.error ? (
        <Alert type="error" headingLevel="h2" heading="The pairs could not be read" role="alert">
          {pairs.error.message}
        </Alert>
      ) : pairs.isPending ? (
        <p aria-live="polite">Loading pairs…</p>
      ) : !pair ? (
        <p>No pairs are waiting for review.</p>
      ) : (
        <section aria-labelledby="pair-heading">
          <h2 id="pair-heading">
            Pair {pair.id}{' '}
            <span className="text-normal font-sans-sm">
              ({pending.length}
              {pairs.data?.nextCursor ? '+' : ''} waiting)
            </span>
          </h2>
          <p>
            The model gives a {percent(pair.matchProbability)} chance that these are the same child (match
            weight {weight(pair.matchWeight)}).
          </p>
          <Table bordered fullWidth scrollable>
            <caption>The two records side by side</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Record A</th>
                <th scope="col">Record B</th>
              </tr>
            </thead>
            <tbody>
              {ROWS.map(([label, value]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  <td>{value(pair.left)}</td>
                  <td>{value(pair.right)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">Now part of</th>
                <td>
                  <Link to={`/children/${pair.left.childId}`}>child {pair.left.childId}</Link>
                </td>
                <td>
                  <Link to={`/children/${pair.right.childId}`}>child {pair.right.childId}</Link>
                </td>
              </tr>
            </tbody>
          </Table>
          <Table bordered striped fullWidth>
            <caption>
              The evidence, field by field (positive weight: for the same child; negative: against)
            </caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Agreement</th>
                <th scope="col">Weight</th>
              </tr>
            </thead>
            <tbody>
              {(pair.evidence.fields ?? []).map((field) => (
                <tr key={field.field}>
                  <th scope="row">{field.field.replaceAll('_', ' ')}</th>
                  <td>{field.level.replaceAll('_', ' ')}</td>
                  <td>{weight(field.weight)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
          <Label htmlFor="review-note" hint=" Optional; kept with the decision in the audit log.">
            Note
          </Label>
          <Textarea
            id="review-note"
            name="note"
            maxLength={500}
            value={note}
            onChange={(event) => setNote(event.target.value)}
          />
          <ButtonGroup className="margin-top-2">
            <Button
              type="button"
              disabled={decide.isPending}
              onClick={() => decide.mutate({ id: pair.id, decision: 'same' })}
            >
              Same child
            </Button>
            <Button
              type="button"
              secondary
              disabled={decide.isPending}
              onClick={() => decide.mutate({ id: pair.id, decision: 'different' })}
            >
              Not the same child
            </Button>
          </ButtonGroup>
        </section>
      )}
    </>
  );
}
