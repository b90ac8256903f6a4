import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Checkbox,
  Fieldset,
  Form,
  Label,
  Select,
  Table,
  TextInput,
} from '@trussworks/react-uswds';
import { type FormEvent, Fragment, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../api';
import type { Session } from '../session';
import { day, RULE_LABELS, TASK_STATE_LABELS, words } from '../words';
import { TaskActions } from './TaskActions';

interface Task {
  id: number;
  rule: string | null;
  childId: number;
  childName: string | null;
  kind: string;
  severity: string;
  state: string;
  assignee: string | null;
  dueAt: string;
  overdue: boolean;
  rank: number;
  rankReasons: { factor: string; points: number; why: string }[];
}

interface TaskPage {
  tasks: Task[];
  nextCursor: string | null;
}

const FILTERS = ['rule', 'state', 'agency', 'assignee', 'overdue'] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

const filtersOf = (params: URLSearchParams): Filters =>
  Object.fromEntries(FILTERS.map((name) => [name, params.get(name) ?? ''])) as Filters;

function apiQuery(params: URLSearchParams, cursor?: string): URLSearchParams {
  const query = new URLSearchParams({ limit: '50' });
  for (const [name, value] of Object.entries(filtersOf(params)))
    if (value.trim()) query.set(name, value.trim());
  if (cursor) query.set('cursor', cursor);
  return query;
}

/**
 * The person's field-office queue, most at risk first, each task with the points behind its rank in words.
 * The filters live in the address, so a view can be shared or reloaded; supervisors assign tasks in bulk.
 */
export function TaskQueue({ session }: { session: Session }) {
  const canAssign = session.permissions.includes('task.assign');
  const canWork = session.permissions.includes('task.work');
  const [working, setWorking] = useState<number | null>(null);
  const [changed, setChanged] = useState('');
  const status = useRef<HTMLDivElement>(null);
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState(() => filtersOf(params));
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [assignee, setAssignee] = useState('');
  const queue = useInfiniteQuery({
    queryKey: ['tasks', params.toString()],
    queryFn: ({ pageParam }) => api<TaskPage>(`/api/v1/tasks?${apiQuery(params, pageParam)}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    retry: false,
  });
  const assign = useMutation({
    mutationFn: (body: { taskIds: number[]; assignee: string }) =>
      api<{ assigned: number }>('/api/v1/tasks/assign', { method: 'POST', body }),
    onSuccess: () => {
      setSelected(new Set());
      void client.invalidateQueries({ queryKey: ['tasks'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSelected(new Set());
    setParams(Object.fromEntries(Object.entries(form).filter(([, value]) => value.trim() !== '')));
  };
  const submitAssign = (event: FormEvent) => {
    event.preventDefault();
    if (selected.size > 0 && assignee.trim())
      assign.mutate({ taskIds: [...selected], assignee: assignee.trim() });
  };
  const toggle = (id: number) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const tasks = queue.data?.pages.flatMap((page) => page.tasks) ?? [];
  const columns = 8 + (canAssign ? 1 : 0) + (canWork ? 1 : 0);
  const allSelected = tasks.length > 0 && tasks.every((task) => selected.has(task.id));
  return (
    <>
      <h1>Field-office queue</h1>
      <p className="usa-intro">
        Open tasks{session.fieldOfficeCode ? ` in ${session.fieldOfficeCode}` : ''}, the children most at risk
        first. Each task says why it is ranked where it is.
      </p>
      <Form onSubmit={submit} className="maxw-full">
        <Fieldset legend="Filter the tasks">
          <div className="grid-row">
            <div className="grid-col-12 tablet:grid-col-3 padding-right-2">
              <Label htmlFor="queue-rule">Rule</Label>
              <Select
                id="queue-rule"
                name="rule"
                value={form.rule}
                onChange={(event) => setForm({ ...form, rule: event.target.value })}
              >
                <option value="">Any rule</option>
                {Object.entries(RULE_LABELS).map(([code, label]) => (
                  <option key={code} value={code}>
                    {label}
                  </option>
                ))}
              </Select>
            </div>
            <div className="grid-col-12 tablet:grid-col-3 padding-right-2">
              <Label htmlFor="queue-state">State</Label>
              <Select
                id="queue-state"
                name="state"
                value={form.state}
                onChange={(event) => setForm({ ...form, state: event.target.value })}
              >
                <option value="">Any but done</option>
                {Object.entries(TASK_STATE_LABELS).map(([code, label]) => (
                  <option key={code} value={code}>
                    {label}
                  </option>
                ))}
              </Select>
            </div>
            <div className="grid-col-12 tablet:grid-col-2 padding-right-2">
              <Label htmlFor="queue-agency">Agency</Label>
              <Select
                id="queue-agency"
                name="agency"
                value={form.agency}
                onChange={(event) => setForm({ ...form, agency: event.target.value })}
              >
                <option value="">ICE and ORR</option>
                <option value="ice">ICE</option>
                <option value="orr">ORR</option>
              </Select>
            </div>
            <div className="grid-col-12 tablet:grid-col-2 padding-right-2">
              <Label htmlFor="queue-assignee" hint=" A username, or “none” for unassigned">
                Assignee
              </Label>
              <TextInput
                id="queue-assignee"
                name="assignee"
                type="text"
                autoComplete="off"
                value={form.assignee}
                onChange={(event) => setForm({ ...form, assignee: event.target.value })}
              />
            </div>
            <div className="grid-col-12 tablet:grid-col-2 padding-top-4">
              <Checkbox
                id="queue-overdue"
                name="overdue"
                label="Overdue only"
                checked={form.overdue === 'true'}
                onChange={(event) => setForm({ ...form, overdue: event.target.checked ? 'true' : '' })}
              />
            </div>
          </div>
          <Button type="submit">Show tasks</Button>
          <Button
            type="button"
            unstyled
            className="margin-left-2"
            onClick={() => {
              setForm({ rule: '', state: '', agency: '', assignee: '', overdue: '' });
              setSelected(new Set());
              setParams({});
            }}
          >
            Clear filters
          </Button>
        </Fieldset>
      </Form>
      {canAssign ? (
        <Form onSubmit={submitAssign} className="maxw-full margin-top-2">
          <Fieldset legend="Assign the selected tasks">
            <Label htmlFor="queue-assign-to" hint=" The username of a person in the office">
              Assign to
            </Label>
            <TextInput
              id="queue-assign-to"
              name="assign-to"
              type="text"
              autoComplete="off"
              value={assignee}
              onChange={(event) => setAssignee(event.target.value)}
            />
            <Button type="submit" disabled={selected.size === 0 || !assignee.trim() || assign.isPending}>
              Assign {selected.size} selected {selected.size === 1 ? 'task' : 'tasks'}
            </Button>
          </Fieldset>
          <div aria-live="polite">
            {assign.error ? (
              <Alert type="error" headingLevel="h2" heading="The tasks were not assigned" slim>
                {assign.error.message}
              </Alert>
            ) : assign.data ? (
              <Alert type="success" headingLevel="h2" slim>
                {assign.data.assigned} {assign.data.assigned === 1 ? 'task' : 'tasks'} assigned to{' '}
                {assign.variables?.assignee}.
              </Alert>
            ) : null}
          </div>
        </Form>
      ) : null}
      <div ref={status} tabIndex={-1} aria-live="polite" className="margin-top-2">
        {changed ? (
          <Alert type="success" headingLevel="h2" slim>
            {changed}
          </Alert>
        ) : null}
      </div>
      {queue.error ? (
        <Alert type="error" headingLevel="h2" heading="The queue could not be read" role="alert">
          {queue.error.message}
        </Alert>
      ) : queue.isPending ? (
        <p aria-live="polite">Loading tasks…</p>
      ) : tasks.length === 0 ? (
        <p aria-live="polite">No tasks match these filters.</p>
      ) : (
        <>
          <Table bordered striped fullWidth scrollable>
            <caption>
              {tasks.length} {tasks.length === 1 ? 'task' : 'tasks'}
              {queue.hasNextPage ? ' so far' : ''}, most at risk first
            </caption>
            <thead>
              <tr>
                {canAssign ? (
                  <th scope="col">
                    <Checkbox
                      id="queue-select-all"
                      name="select-all"
                      label={<span className="usa-sr-only">Select every task shown</span>}
                      checked={allSelected}
                      onChange={() =>
                        setSelected(allSelected ? new Set() : new Set(tasks.map((task) => task.id)))
                      }
                    />
                  </th>
                ) : null}
                <th scope="col">Rank</th>
                <th scope="col">Severity</th>
                <th scope="col">Due</th>
                <th scope="col">Child</th>
                {canWork ? <th scope="col">Actions</th> : null}
                <th scope="col">Rule</th>
                <th scope="col">State</th>
                <th scope="col">Assignee</th>
                <th scope="col">Why it ranks here</th>
              </tr>
            </thead>
            <tbody>
              {tasks.map((task, index) => (
                <Fragment key={task.id}>
                  <tr>
                    {canAssign ? (
                      <td>
                        <Checkbox
                          id={`queue-select-${task.id}`}
                          name="task"
                          value={String(task.id)}
                          label={
                            <span className="usa-sr-only">
                              Select task {task.id} ({task.childName ?? `child ${task.childId}`})
                            </span>
                          }
                          checked={selected.has(task.id)}
                          onChange={() => toggle(task.id)}
                        />
                      </td>
                    ) : null}
                    <td>{index + 1}</td>
                    <td>{task.severity === 'critical' ? <strong>critical</strong> : task.severity}</td>
                    <td>
                      {day(task.dueAt)}
                      {task.overdue ? (
                        <>
                          {' '}
                          <strong>(overdue)</strong>
                        </>
                      ) : null}
                    </td>
                    <td>
                      <Link to={`/children/${task.childId}?task=${task.id}`}>
                        {task.childName ?? `Child ${task.childId}`}
                      </Link>
                    </td>
                    {canWork ? (
                      <td>
                        <Button
                          type="button"
                          outline
                          className="margin-right-0 text-no-wrap"
                          id={`task-${task.id}-toggle`}
                          aria-expanded={working === task.id}
                          aria-controls={`task-${task.id}-panel`}
                          onClick={() => setWorking(working === task.id ? null : task.id)}
                        >
                          Work on<span className="usa-sr-only"> task {task.id}</span>
                        </Button>
                      </td>
                    ) : null}
                    <td>{task.rule ? words(task.rule, RULE_LABELS) : task.kind.replaceAll('_', ' ')}</td>
                    <td>{words(task.state, TASK_STATE_LABELS)}</td>
                    <td>{task.assignee ?? 'Unassigned'}</td>
                    <td>
                      <ul className="usa-list usa-list--unstyled font-sans-2xs">
                        {task.rankReasons.map((reason) => (
                          <li key={reason.factor}>
                            {reason.why} (+{reason.points})
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                  {working === task.id ? (
                    <tr id={`task-${task.id}-panel`}>
                      <td colSpan={columns}>
                        <TaskActions
                          task={task}
                          canAssign={canAssign}
                          onChanged={(message) => {
                            setWorking(null);
                            setChanged(message);
                            status.current?.focus();
                            void client.invalidateQueries({ queryKey: ['tasks'] });
                          }}
                          onClose={() => {
                            setWorking(null);
                            document.getElementById(`task-${task.id}-toggle`)?.focus();
                          }}
                        />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </Table>
          {queue.hasNextPage ? (
            <Button
              type="button"
              outline
              disabled={queue.isFetchingNextPage}
              onClick={() => queue.fetchNextPage()}
            >
              {queue.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </Button>
          ) : null}
        </>
      )}
    </>
  );
}
