import { useMutation } from '@tanstack/react-query';
import {
  Alert,
  Button,
  ButtonGroup,
  ErrorMessage,
  Fieldset,
  Form,
  FormGroup,
  Label,
  Select,
  Textarea,
  TextInput,
} from '@trussworks/react-uswds';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { TASK_OUTCOME_LABELS } from '../words';

/** A task as the queue shows it: enough to say which actions its state allows. */
export interface WorkableTask {
  id: number;
  childId: number;
  childName: string | null;
  state: string;
}

export type TaskChange =
  | { action: 'start' | 'escalate' }
  | { action: 'done'; outcome: string; note?: string }
  | { action: 'assign'; assignee: string };

/** What happened, in a sentence for the queue's status line. */
export function changeDone(taskId: number, change: TaskChange): string {
  switch (change.action) {
    case 'start':
      return `Task ${taskId} started.`;
    case 'escalate':
      return `Task ${taskId} escalated to the supervisor.`;
    case 'done':
      return `Task ${taskId} is done: ${TASK_OUTCOME_LABELS[change.outcome] ?? change.outcome}.`;
    case 'assign':
      return `Task ${taskId} assigned to ${change.assignee}.`;
  }
}

export function sendTaskChange(taskId: number, change: TaskChange) {
  if (change.action === 'assign')
    return api(`/api/v1/tasks/${taskId}/assign`, { method: 'POST', body: { assignee: change.assignee } });
  return api(`/api/v1/tasks/${taskId}/state`, { method: 'POST', body: change });
}

/**
 * The actions one task allows, opened from its row in the queue: start it, escalate it, mark it done with an
 * outcome, or (supervisors) assign it to one person. Opening moves the focus here; Close returns it to the row.
 */
export function TaskActions({
  task,
  canAssign,
  onChanged,
  onClose,
}: {
  task: WorkableTask;
  canAssign: boolean;
  onChanged: (message: string) => void;
  onClose: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [outcome, setOutcome] = useState('');
  const [note, setNote] = useState('');
  const [assignee, setAssignee] = useState('');
  const [problem, setProblem] = useState<{ field: 'outcome' | 'assignee'; message: string } | null>(null);
  const change = useMutation({
    mutationFn: (body: TaskChange) => sendTaskChange(task.id, body),
    onSuccess: (_result, body) => onChanged(changeDone(task.id, body)),
  });
  useEffect(() => heading.current?.focus(), []);
  const who = task.childName ?? `child ${task.childId}`;
  const canStart = task.state === 'open' || task.state === 'escalated';
  const canEscalate = task.state === 'open' || task.state === 'in_progress';

  const finish = (event: FormEvent) => {
    event.preventDefault();
    if (!outcome) {
      setProblem({ field: 'outcome', message: 'Choose how the task ended.' });
      document.getElementById(`task-${task.id}-outcome`)?.focus();
      return;
    }
    change.mutate({ action: 'done', outcome, ...(note.trim() ? { note: note.trim() } : {}) });
  };
  const assignTo = (event: FormEvent) => {
    event.preventDefault();
    if (!assignee.trim()) {
      setProblem({ field: 'assignee', message: 'Enter the username of the person to assign.' });
      document.getElementById(`task-${task.id}-assignee`)?.focus();
      return;
    }
    change.mutate({ action: 'assign', assignee: assignee.trim() });
  };
  const error = (field: 'outcome' | 'assignee') =>
    problem?.field === field ? (
      <ErrorMessage id={`task-${task.id}-${field}-error`}>{problem.message}</ErrorMessage>
    ) : null;
  return (
    <section
      className="padding-2 bg-white border-1px border-base-light radius-md maxw-tablet-lg"
      aria-labelledby={`task-${task.id}-actions`}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <h2 id={`task-${task.id}-actions`} className="margin-top-0 font-sans-md" tabIndex={-1} ref={heading}>
        Task {task.id} for {who}
      </h2>
      {change.error ? (
        <Alert type="error" headingLevel="h3" slim role="alert">
          {change.error.message}
        </Alert>
      ) : null}
      <ButtonGroup>
        {canStart ? (
          <Button
            type="button"
            disabled={change.isPending}
            onClick={() => change.mutate({ action: 'start' })}
          >
            Start task {task.id}
          </Button>
        ) : null}
        {canEscalate ? (
          <Button
            type="button"
            secondary
            disabled={change.isPending}
            onClick={() => change.mutate({ action: 'escalate' })}
          >
            Escalate task {task.id}
          </Button>
        ) : null}
        <Button type="button" unstyled onClick={onClose}>
          Close
        </Button>
      </ButtonGroup>
      <div className="grid-row grid-gap">
        <Form onSubmit={finish} className="grid-col-12 tablet:grid-col-6" noValidate>
          <Fieldset legend="Mark done with an outcome">
            <FormGroup error={problem?.field === 'outcome'}>
              <Label htmlFor={`task-${task.id}-outcome`} error={problem?.field === 'outcome'}>
                Outcome
              </Label>
              {error('outcome')}
              <Select
                id={`task-${task.id}-outcome`}
                name="outcome"
                value={outcome}
                validationStatus={problem?.field === 'outcome' ? 'error' : undefined}
                aria-describedby={problem?.field === 'outcome' ? `task-${task.id}-outcome-error` : undefined}
                onChange={(event) => {
                  setOutcome(event.target.value);
                  setProblem(null);
                }}
              >
                <option value="">- Choose -</option>
                {Object.entries(TASK_OUTCOME_LABELS).map(([code, label]) => (
                  <option key={code} value={code}>
                    {label}
                  </option>
                ))}
              </Select>
            </FormGroup>
            <Label htmlFor={`task-${task.id}-note`} hint=" Optional">
              Note
            </Label>
            <Textarea
              id={`task-${task.id}-note`}
              name="note"
              maxLength={1000}
              className="height-10"
              value={note}
              onChange={(event) => setNote(event.target.value)}
            />
            <Button type="submit" disabled={change.isPending}>
              Mark task {task.id} done
            </Button>
          </Fieldset>
        </Form>
        {canAssign ? (
          <Form onSubmit={assignTo} className="grid-col-12 tablet:grid-col-6" noValidate>
            <Fieldset legend="Assign to one person">
              <FormGroup error={problem?.field === 'assignee'}>
                <Label
                  htmlFor={`task-${task.id}-assignee`}
                  error={problem?.field === 'assignee'}
                  hint=" A username in the office"
                >
                  Assign task {task.id} to
                </Label>
                {error('assignee')}
                <TextInput
                  id={`task-${task.id}-assignee`}
                  name="assignee"
                  type="text"
                  autoComplete="off"
                  value={assignee}
                  validationStatus={problem?.field === 'assignee' ? 'error' : undefined}
                  aria-describedby={
                    problem?.field === 'assignee' ? `task-${task.id}-assignee-error` : undefined
                  }
                  onChange={(event) => {
                    setAssignee(event.target.value);
                    setProblem(null);
                  }}
                />
              </FormGroup>
              <Button type="submit" disabled={change.isPending}>
                Assign task {task.id}
              </Button>
            </Fieldset>
          </Form>
        ) : null}
      </div>
    </section>
  );
}
