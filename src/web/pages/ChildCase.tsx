import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Fieldset, Form, Label, Radio, Table, Tag, Textarea } from '@trussworks/react-uswds';
import { type FormEvent, type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../api';
import { NoticeLinks } from '../components/NoticeLinks';
import {
  aNumber,
  day,
  EVENT_LABELS,
  HEARING_EVENTS,
  LINK_METHOD_LABELS,
  PURPOSE_LABELS,
  SOURCE_LABELS,
  SPONSOR_CATEGORIES,
  STATUS_LABELS,
  VERDICT_LABELS,
  WHEREABOUTS_LABELS,
  words,
} from '../words';
import { RecordOutcome } from './RecordOutcome';

interface TimelineEvent {
  type: string;
  occurredAt: string;
  source: string | null;
  sourceKey: string | null;
  data: Record<string, unknown>;
}

/** GET /api/v1/children/:id (src/cases/cases.routes.ts); the minimum § 1367 view leaves most parts out. */
interface CaseView {
  view: 'full' | 'minimum_1367';
  child: {
    id: number;
    givenNames: string | null;
    surnames: string | null;
    dob?: string | null;
    sex?: string | null;
    country?: string | null;
    aNumber: string | null;
    orrId?: string | null;
  };
  state: Record<string, unknown> | null;
  addresses?: {
    role: 'current' | 'release';
    written: string;
    deliveryLine: string | null;
    lastLine: string | null;
    verdict: string;
    reasons: { code: string; detail?: string }[];
  }[];
  sponsor?: {
    name: string;
    relationship: string | null;
    category: number | null;
    phone: string | null;
  } | null;
  records?: {
    source: string;
    kind: string;
    sourceKey: string;
    version: number;
    receivedAt: string;
    method: string;
    matchWeight: number | null;
    evidence: Record<string, unknown>;
    decidedBy: string;
  }[];
  alerts?: { id: number; rule: string; severity: string; openedAt: string }[];
  tasks?: {
    id: number;
    kind: string;
    agency: string;
    severity: string;
    state: string;
    dueAt: string;
    officeCode: string | null;
    assignee: string | null;
  }[];
  timeline?: TimelineEvent[];
  withheld: string[];
}

interface Purpose {
  purpose: string;
  note: string;
}

/** A child's case: the reason for opening it is asked first, every time, and recorded with the read. */
export function ChildCase() {
  const { id } = useParams();
  const [purpose, setPurpose] = useState<Purpose | null>(null);
  if (!id || !/^\d{1,15}$/.test(id)) {
    return (
      <>
        <h1>No such case</h1>
        <p>
          “{id}” is not a child id. <Link to="/children">Open a case by its id.</Link>
        </p>
      </>
    );
  }
  if (!purpose) return <PurposeForm childId={id} onSubmit={setPurpose} />;
  return <CaseFile childId={id} purpose={purpose} onChangePurpose={() => setPurpose(null)} />;
}

function PurposeForm({ childId, onSubmit }: { childId: string; onSubmit: (purpose: Purpose) => void }) {
  const [purpose, setPurpose] = useState('');
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!purpose) {
      setMissing(true);
      return;
    }
    onSubmit({ purpose, note: note.trim() });
  };
  return (
    <>
      <h1>Open case {childId}</h1>
      <p className="usa-intro">
        Say why you are opening this case. Your reason is recorded with your name in the audit log.
      </p>
      <Form onSubmit={submit} large>
        <Fieldset legend="Why are you opening this case?" legendStyle="large">
          {missing ? (
            <span className="usa-error-message" id="purpose-error" role="alert">
              Choose a reason.
            </span>
          ) : null}
          {Object.entries(PURPOSE_LABELS).map(([value, label]) => (
            <Radio
              key={value}
              id={`purpose-${value}`}
              name="purpose"
              value={value}
              label={label}
              checked={purpose === value}
              onChange={() => {
                setPurpose(value);
                setMissing(false);
              }}
            />
          ))}
        </Fieldset>
        <Label htmlFor="purpose-note" hint=" Optional: the task, court date or tip concerned.">
          Note
        </Label>
        <Textarea
          id="purpose-note"
          name="note"
          maxLength={500}
          value={note}
          onChange={(event) => setNote(event.target.value)}
        />
        <Button type="submit">Open the case</Button>
      </Form>
    </>
  );
}

function CaseFile({
  childId,
  purpose,
  onChangePurpose,
}: {
  childId: string;
  purpose: Purpose;
  onChangePurpose: () => void;
}) {
  const query = new URLSearchParams({
    purpose: purpose.purpose,
    ...(purpose.note ? { note: purpose.note } : {}),
  });
  const file = useQuery({
    queryKey: ['case', childId, purpose],
    queryFn: () => api<CaseView>(`/api/v1/children/${childId}?${query}`),
    retry: false,
  });
  if (file.isPending) return <p aria-live="polite">Opening case {childId}…</p>;
  if (file.error) {
    return (
      <Alert type="error" headingLevel="h1" heading={`Case ${childId} could not be opened`} role="alert">
        {file.error.message} <Link to="/children">Open another case.</Link>
      </Alert>
    );
  }
  const { child, state, view } = file.data;
  const name = [child.givenNames, child.surnames].filter(Boolean).join(' ') || 'Name not recorded';
  const hearings = (file.data.timeline ?? []).filter((event) => HEARING_EVENTS.has(event.type));
  return (
    <>
      <h1 className="margin-bottom-1">{name}</h1>
      <p className="margin-top-0 text-base-dark">
        Child {child.id} · {aNumber(child.aNumber)}
        {child.orrId ? ` · ORR ${child.orrId}` : ''} · opened for “{PURPOSE_LABELS[purpose.purpose]}”{' '}
        <Button type="button" unstyled onClick={onChangePurpose}>
          (change reason)
        </Button>
      </p>
      {view === 'minimum_1367' ? (
        <Alert type="info" headingLevel="h2" heading="Protected under 8 U.S.C. § 1367" slim={false}>
          Only the minimum facts are shown to your role. Left out: {file.data.withheld.join('; ')}.
        </Alert>
      ) : null}

      <Section title="Status and whereabouts">
        <Facts
          facts={[
            ['Status', words(state?.status as string, STATUS_LABELS)],
            ['Whereabouts', words(state?.whereabouts as string, WHEREABOUTS_LABELS)],
            ['Field office', (state?.fieldOfficeCode as string) ?? 'None assigned'],
            ['Next hearing', day(state?.nextHearingAt)],
            ['Failures to appear', String(state?.failedToAppearCount ?? '—')],
            ['Has an attorney', state?.hasAttorney === undefined ? '—' : state.hasAttorney ? 'Yes' : 'No'],
            ['Last verified contact', day(state?.lastVerifiedContactAt)],
            [
              'Last safety call',
              words(state?.lastSafetyCallOutcome as string, {
                reached: 'Reached',
                not_reached: 'Not reached',
                concerns: 'Concerns raised',
              }),
            ],
            ['Released', day(state?.releasedAt)],
            ['Date of birth', child.dob ? day(child.dob) : '—'],
            ['Country of birth', child.country ?? '—'],
          ]}
        />
      </Section>

      {file.data.alerts ? (
        <Section title="Open alerts and tasks">
          {file.data.alerts.length === 0 && (file.data.tasks ?? []).length === 0 ? (
            <p>No open alerts or tasks.</p>
          ) : (
            <>
              <Table bordered fullWidth>
                <caption>Open alerts: monitoring rules that hold for this child</caption>
                <thead>
                  <tr>
                    <th scope="col">Rule</th>
                    <th scope="col">Severity</th>
                    <th scope="col">Opened</th>
                  </tr>
                </thead>
                <tbody>
                  {file.data.alerts.map((alert) => (
                    <tr key={alert.id}>
                      <td>{alert.rule.replaceAll('_', ' ')}</td>
                      <td>
                        <Severity level={alert.severity} />
                      </td>
                      <td>{day(alert.openedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <Table bordered fullWidth>
                <caption>Open tasks</caption>
                <thead>
                  <tr>
                    <th scope="col">Task</th>
                    <th scope="col">Agency</th>
                    <th scope="col">Severity</th>
                    <th scope="col">Due</th>
                    <th scope="col">Assigned to</th>
                  </tr>
                </thead>
                <tbody>
                  {(file.data.tasks ?? []).map((task) => (
                    <tr key={task.id}>
                      <td>{task.kind.replaceAll('_', ' ')}</td>
                      <td>{task.agency.toUpperCase()}</td>
                      <td>
                        <Severity level={task.severity} />
                      </td>
                      <td>
                        {day(task.dueAt)}
                        {new Date(task.dueAt) < new Date() ? <strong> — overdue</strong> : null}
                      </td>
                      <td>{task.assignee ?? 'Nobody yet'}</td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            </>
          )}
        </Section>
      ) : null}

      {file.data.alerts ? <RecordOutcome childId={childId} tasks={file.data.tasks ?? []} /> : null}

      {file.data.addresses ? (
        <Section title="Sponsor and address">
          {file.data.sponsor ? (
            <Facts
              facts={[
                ['Sponsor', file.data.sponsor.name],
                ['Relationship', file.data.sponsor.relationship ?? '—'],
                ['Category', words(String(file.data.sponsor.category ?? ''), SPONSOR_CATEGORIES)],
                ['Phone', file.data.sponsor.phone ?? '—'],
              ]}
            />
          ) : (
            <p>No sponsor is recorded.</p>
          )}
          {file.data.addresses.length === 0 ? (
            <p>No address is recorded.</p>
          ) : (
            <Table bordered fullWidth>
              <caption>Addresses, each with its verdict and the reasons for it (docs/addresses.md)</caption>
              <thead>
                <tr>
                  <th scope="col">Address</th>
                  <th scope="col">As written</th>
                  <th scope="col">Standard form</th>
                  <th scope="col">Verdict</th>
                  <th scope="col">Reasons</th>
                </tr>
              </thead>
              <tbody>
                {file.data.addresses.map((address) => (
                  <tr key={address.role}>
                    <th scope="row">
                      {address.role === 'current' ? 'Where the child lives now' : 'On the release form'}
                    </th>
                    <td>{address.written || '(blank)'}</td>
                    <td>{[address.deliveryLine, address.lastLine].filter(Boolean).join(', ') || '—'}</td>
                    <td>{words(address.verdict, VERDICT_LABELS)}</td>
                    <td>
                      {address.reasons.length === 0
                        ? 'None'
                        : address.reasons
                            .map(
                              (reason) =>
                                `${reason.code.replaceAll('_', ' ')}${reason.detail ? ` (${reason.detail})` : ''}`,
                            )
                            .join('; ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Section>
      ) : null}
      {file.data.addresses ? (
        <NoticeLinks childId={child.id} hasHearing={Boolean(state?.nextHearingAt)} />
      ) : null}

      {file.data.timeline ? (
        <Section title="Hearings">
          {hearings.length === 0 ? (
            <p>No hearing is recorded.</p>
          ) : (
            <Events events={hearings} caption="Court events from EOIR" />
          )}
        </Section>
      ) : null}

      {file.data.timeline ? (
        <Section title="Timeline">
          {file.data.timeline.length === 0 ? (
            <p>No events are recorded.</p>
          ) : (
            <Events
              events={file.data.timeline}
              caption="Everything recorded about this child, from every agency, oldest first"
            />
          )}
        </Section>
      ) : null}

      {file.data.records ? (
        <Section title="Identity: linked source records">
          <Table bordered fullWidth>
            <caption>Every agency record joined to this child, and why</caption>
            <thead>
              <tr>
                <th scope="col">Agency</th>
                <th scope="col">Record</th>
                <th scope="col">Received</th>
                <th scope="col">Why linked</th>
                <th scope="col">Decided by</th>
              </tr>
            </thead>
            <tbody>
              {file.data.records.map((record) => (
                <tr key={`${record.source}:${record.sourceKey}:${record.version}`}>
                  <td>{words(record.source, SOURCE_LABELS)}</td>
                  <td>
                    {record.kind.replaceAll('_', ' ')} {record.sourceKey}
                    {record.version > 1 ? ` (version ${record.version})` : ''}
                  </td>
                  <td>{day(record.receivedAt)}</td>
                  <td>
                    {words(record.method, LINK_METHOD_LABELS)}
                    {evidenceText(record.evidence)}
                    {record.matchWeight !== null ? ` (match weight ${record.matchWeight.toFixed(1)})` : ''}
                  </td>
                  <td>{record.decidedBy === 'system' ? 'Whereabouts' : record.decidedBy}</td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Section>
      ) : null}

      <Section title="What was withheld">
        {file.data.withheld.length === 0 ? (
          <p>Nothing: your role sees the whole case.</p>
        ) : (
          <ul>
            {file.data.withheld.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        )}
      </Section>
    </>
  );
}

function evidenceText(evidence: Record<string, unknown>): string {
  const parts = Object.entries(evidence)
    .filter(([, value]) => value !== null && value !== undefined && typeof value !== 'object')
    .map(
      ([key, value]) =>
        `${key.replaceAll('_', ' ')} ${key === 'a_number' ? aNumber(String(value)) : String(value)}`,
    );
  return parts.length ? `: ${parts.join(', ')}` : '';
}

/** An event's facts in words; an address's parts are left out when the address itself is given. */
const ADDRESS_PARTS = new Set(['street', 'apt', 'city', 'state', 'zip']);
function eventDetails(data: Record<string, unknown>): string {
  const entries = Object.entries(data).filter(
    ([key, value]) =>
      value !== null &&
      value !== '' &&
      typeof value !== 'object' &&
      !(data.address && ADDRESS_PARTS.has(key)),
  );
  return entries.map(([key, value]) => `${key.replaceAll('_', ' ')}: ${String(value)}`).join('; ') || '—';
}

function Events({ events, caption }: { events: TimelineEvent[]; caption: string }) {
  return (
    <Table bordered fullWidth>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">What happened</th>
          <th scope="col">Agency</th>
          <th scope="col">Details</th>
          <th scope="col">Source record</th>
        </tr>
      </thead>
      <tbody>
        {events.map((event, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: events carry no id, and this list never reorders
          <tr key={`${event.occurredAt}:${event.type}:${index}`}>
            <td>{day(event.occurredAt)}</td>
            <td>{words(event.type, EVENT_LABELS)}</td>
            <td>{event.source ? words(event.source, SOURCE_LABELS) : 'Whereabouts'}</td>
            <td>{eventDetails(event.data)}</td>
            <td>{event.sourceKey ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="margin-top-4" aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function Facts({ facts }: { facts: [string, string][] }) {
  return (
    <dl className="border-1px border-base-lighter radius-md padding-2 margin-y-2">
      {facts.map(([label, value]) => (
        <div key={label} className="grid-row margin-bottom-05">
          <dt className="grid-col-12 tablet:grid-col-4 text-bold">{label}</dt>
          <dd className="grid-col-12 tablet:grid-col-8 margin-left-0">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Severity in words and a tag: never colour alone. */
function Severity({ level }: { level: string }) {
  const background = level === 'critical' || level === 'high' ? 'bg-secondary-dark' : 'bg-base-dark';
  return <Tag className={background}>{level}</Tag>;
}
