import { useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  ErrorMessage,
  Fieldset,
  Form,
  FormGroup,
  Label,
  Radio,
  Select,
  Textarea,
  TextInput,
} from '@trussworks/react-uswds';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../api';
import { useSession } from '../session';
import { day, EVENT_LABELS, RULE_LABELS, words } from '../words';

/** The outcomes an officer records from the case (ChildOutcome in src/monitoring/tasks.schema.ts). */
const KINDS = {
  contact_made: 'Contact made',
  welfare_check: 'Welfare check',
  locate_attempt: 'Locate attempt',
  address_confirmed: 'Address confirmed',
  address_changed: 'Address changed',
} as const;
type Kind = keyof typeof KINDS;

/** The one detail each outcome needs, asked as a question with its answers. */
const DETAILS: Partial<
  Record<Kind, { field: 'method' | 'result'; question: string; answers: Record<string, string> }>
> = {
  contact_made: {
    field: 'method',
    question: 'How was the contact made?',
    answers: { in_person: 'In person', phone: 'By phone', video: 'By video' },
  },
  welfare_check: {
    field: 'result',
    question: 'What did the welfare check find?',
    answers: { seen_safe: 'Seen safe', concerns: 'Concerns raised', not_found: 'Not reached' },
  },
  locate_attempt: {
    field: 'result',
    question: 'Was the child found?',
    answers: { located: 'Found', not_located: 'Not found (failed)' },
  },
};

export interface OpenTask {
  id: number;
  kind: string;
  state: string;
  dueAt: string;
}

interface Recorded {
  eventType: string;
  alerts: { opened: string[]; closed: string[] };
}

type Problems = Partial<Record<'kind' | 'detail' | 'address', string>>;

/** What the form asks, checked before sending: every problem at once, each shown next to its field. */
function problemsOf(kind: Kind | '', detail: string, address: string): Problems {
  const problems: Problems = {};
  if (!kind) problems.kind = 'Choose what happened.';
  else if (DETAILS[kind] && !detail) problems.detail = `Answer: ${DETAILS[kind].question}`;
  if (kind === 'address_changed' && address.trim().length < 5)
    problems.address = 'Enter the new address: street, city, state and ZIP code.';
  return problems;
}

function outcomeOf(kind: Kind, detail: string, address: string) {
  switch (kind) {
    case 'contact_made':
      return { kind, method: detail };
    case 'welfare_check':
    case 'locate_attempt':
      return { kind, result: detail };
    case 'address_confirmed':
      return { kind };
    case 'address_changed':
      return { kind, address: address.trim() };
  }
}

/**
 * One short form on a child's case for what an officer found: contact, welfare check, locate attempt, address.
 * Tied to one of the child's open tasks (preselected from `?task=` when the queue opened the case), it closes
 * that task as done with the outcome. Saving refreshes the case, so the timeline shows the new event and the
 * alerts it cleared are gone.
 */
export function RecordOutcome({ childId, tasks }: { childId: string; tasks: OpenTask[] }) {
  const permissions = useSession().data?.permissions ?? [];
  if (!permissions.includes('case.record_outcome')) return null;
  return (
    <OutcomeForm
      childId={childId}
      tasks={tasks.filter((task) => task.state !== 'done')}
      canWorkTasks={permissions.includes('task.work')}
    />
  );
}

function OutcomeForm({
  childId,
  tasks,
  canWorkTasks,
}: {
  childId: string;
  tasks: OpenTask[];
  canWorkTasks: boolean;
}) {
  const client = useQueryClient();
  const [params] = useSearchParams();
  const fromQueue = params.get('task');
  const [kind, setKind] = useState<Kind | ''>('');
  const [detail, setDetail] = useState('');
  const [address, setAddress] = useState('');
  const [taskId, setTaskId] = useState(() =>
    canWorkTasks && tasks.some((task) => String(task.id) === fromQueue) ? (fromQueue ?? '') : '',
  );
  const [note, setNote] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const result = useRef<HTMLDivElement>(null);
  const record = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api<Recorded>(`/api/v1/children/${childId}/outcomes`, { method: 'POST', body }),
    onSuccess: () => {
      setKind('');
      setDetail('');
      setAddress('');
      setTaskId('');
      setNote('');
      return client.invalidateQueries({ queryKey: ['case', childId] });
    },
  });
  // The answer (saved, or refused by the server) takes the focus, so a screen reader hears it at once.
  // (Once per submission: the case has been read again by then, since onSuccess waits for the refetch.)
  useEffect(() => {
    if (record.submittedAt && (record.status === 'success' || record.status === 'error'))
      result.current?.focus();
  }, [record.status, record.submittedAt]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found = problemsOf(kind, detail, address);
    setProblems(found);
    if (!kind) {
      document.getElementById('outcome-kind-contact_made')?.focus();
      return;
    }
    if (Object.keys(found).length > 0) {
      document.getElementById(found.detail ? firstAnswerId(kind) : 'outcome-address')?.focus();
      return;
    }
    record.mutate({
      outcome: outcomeOf(kind, detail, address),
      ...(taskId ? { taskId: Number(taskId) } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    });
  };
  const question = kind ? DETAILS[kind] : undefined;
  const closedTask = record.variables?.taskId as number | undefined;
  return (
    <section className="margin-top-4" aria-labelledby="record-outcome-heading">
      <h2 id="record-outcome-heading">Record an outcome</h2>
      <div ref={result} tabIndex={-1} aria-live="polite">
        {record.isError ? (
          <Alert type="error" headingLevel="h3" heading="The outcome was not recorded" slim>
            {record.error.message}
          </Alert>
        ) : record.data ? (
          <Alert type="success" headingLevel="h3" heading="Outcome recorded" slim>
            {words(record.data.eventType, EVENT_LABELS)} is on the timeline.
            {record.data.alerts.closed.length > 0
              ? ` Alerts cleared: ${record.data.alerts.closed.map((rule) => words(rule, RULE_LABELS)).join(', ')}.`
              : ' No alert cleared.'}
            {record.data.alerts.opened.length > 0
              ? ` Alerts opened: ${record.data.alerts.opened.map((rule) => words(rule, RULE_LABELS)).join(', ')}.`
              : ''}
            {closedTask ? ` Task ${closedTask} is done.` : ''}
          </Alert>
        ) : null}
      </div>
      <Form onSubmit={submit} className="maxw-tablet" noValidate>
        <FormGroup error={Boolean(problems.kind)}>
          <Fieldset legend="What happened?">
            {problems.kind ? <ErrorMessage id="outcome-kind-error">{problems.kind}</ErrorMessage> : null}
            {Object.entries(KINDS).map(([value, label]) => (
              <Radio
                key={value}
                id={`outcome-kind-${value}`}
                name="outcome-kind"
                value={value}
                label={label}
                checked={kind === value}
                aria-describedby={problems.kind ? 'outcome-kind-error' : undefined}
                onChange={() => {
                  setKind(value as Kind);
                  setDetail('');
                  setProblems({});
                }}
              />
            ))}
          </Fieldset>
        </FormGroup>
        {question && kind ? (
          <FormGroup error={Boolean(problems.detail)}>
            <Fieldset legend={question.question}>
              {problems.detail ? (
                <ErrorMessage id="outcome-detail-error">{problems.detail}</ErrorMessage>
              ) : null}
              {Object.entries(question.answers).map(([value, label]) => (
                <Radio
                  key={value}
                  id={`outcome-${kind}-${value}`}
                  name="outcome-detail"
                  value={value}
                  label={label}
                  checked={detail === value}
                  aria-describedby={problems.detail ? 'outcome-detail-error' : undefined}
                  onChange={() => {
                    setDetail(value);
                    setProblems({ ...problems, detail: undefined });
                  }}
                />
              ))}
            </Fieldset>
          </FormGroup>
        ) : null}
        {kind === 'address_changed' ? (
          <FormGroup error={Boolean(problems.address)}>
            <Label htmlFor="outcome-address" error={Boolean(problems.address)}>
              New address
            </Label>
            {problems.address ? (
              <ErrorMessage id="outcome-address-error">{problems.address}</ErrorMessage>
            ) : null}
            <TextInput
              id="outcome-address"
              name="address"
              type="text"
              autoComplete="off"
              maxLength={300}
              value={address}
              validationStatus={problems.address ? 'error' : undefined}
              aria-invalid={Boolean(problems.address)}
              aria-describedby={problems.address ? 'outcome-address-error' : undefined}
              onChange={(event) => setAddress(event.target.value)}
            />
          </FormGroup>
        ) : null}
        {canWorkTasks && tasks.length > 0 ? (
          <>
            <Label htmlFor="outcome-task" hint=" Optional: the task is closed as done with this outcome.">
              For task
            </Label>
            <Select
              id="outcome-task"
              name="task"
              value={taskId}
              onChange={(event) => setTaskId(event.target.value)}
            >
              <option value="">No task</option>
              {tasks.map((task) => (
                <option key={task.id} value={String(task.id)}>
                  Task {task.id}: {task.kind.replaceAll('_', ' ')}, due {day(task.dueAt)}
                </option>
              ))}
            </Select>
          </>
        ) : null}
        <Label htmlFor="outcome-note" hint=" Optional: what was seen or said.">
          Note
        </Label>
        <Textarea
          id="outcome-note"
          name="note"
          maxLength={1000}
          value={note}
          onChange={(event) => setNote(event.target.value)}
        />
        <Button type="submit" disabled={record.isPending}>
          {record.isPending ? 'Recording…' : 'Record outcome'}
        </Button>
      </Form>
    </section>
  );
}

const firstAnswerId = (kind: Kind) => `outcome-${kind}-${Object.keys(DETAILS[kind]?.answers ?? {})[0]}`;
