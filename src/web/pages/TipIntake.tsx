import { useMutation } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Fieldset,
  Form,
  Label,
  Select,
  Table,
  Textarea,
  TextInput,
} from '@trussworks/react-uswds';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { ApiError, api } from '../api';
import { day, TASK_STATE_LABELS, words } from '../words';

interface TipAnswer {
  tipId: string;
  candidates: {
    childId: number;
    givenNames?: string | null;
    surnames?: string | null;
    fieldOfficeCode: string | null;
    evidence: string[];
    task: { id: number; officeCode: string | null; state: string; dueAt: string } | null;
  }[];
  otherCandidates: number;
}

const CHANNELS: Record<string, string> = {
  hotline: 'Telephone hotline',
  email: 'Email',
  web_form: 'Web form',
  partner_referral: 'Referral from a partner organization',
};
const EVIDENCE: Record<string, string> = {
  name: 'first name',
  age: 'age',
  town: 'town',
  phone: 'sponsor’s phone',
};
const EMPTY = {
  channel: 'hotline',
  reportedBy: '',
  said: '',
  childName: '',
  childDob: '',
  childAge: '',
  aNumber: '',
  location: '',
  phone: '',
};
type TipForm = typeof EMPTY;

/** Sends only what was filled in: an empty field is "not said", not an empty value. */
function bodyOf(form: TipForm) {
  return Object.fromEntries(Object.entries(form).filter(([, value]) => value.trim() !== ''));
}

/**
 * Taking a tip: what the reporter said, and whatever they knew about the child. The tip is stored as a record of
 * the tips feed and matched against known children; each candidate gets a triage task in its field office.
 */
export function TipIntake() {
  const [form, setForm] = useState<TipForm>(EMPTY);
  const record = useMutation({
    mutationFn: (body: Record<string, string>) => api<TipAnswer>('/api/v1/tips', { method: 'POST', body }),
    onSuccess: () => setForm(EMPTY),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    record.mutate(bodyOf(form));
  };
  const field = (name: keyof TipForm) => ({
    id: `tip-${name}`,
    name,
    value: form[name],
    onChange: (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value }),
  });
  return (
    <>
      <h1>Record a tip</h1>
      <p className="usa-intro">
        Write down what the person reported, in their words where you can. Give what they knew about the
        child; leave out what they did not say. The tip is kept as a record and matched against known
        children.
      </p>
      <Form onSubmit={submit} className="maxw-tablet-lg">
        <Fieldset legend="The report">
          <Label htmlFor="tip-channel">How the tip came in</Label>
          <Select {...field('channel')}>
            {Object.entries(CHANNELS).map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </Select>
          <Label htmlFor="tip-reportedBy" hint=" Name and how to reach them, or “anonymous”">
            Who reported it
          </Label>
          <TextInput type="text" autoComplete="off" maxLength={200} {...field('reportedBy')} />
          <Label htmlFor="tip-said" requiredMarker>
            What was said
          </Label>
          <Textarea required maxLength={3000} {...field('said')} />
        </Fieldset>
        <Fieldset legend="The child, as far as the reporter knew">
          <Label htmlFor="tip-childName" hint=" As the reporter said it; a first name is enough to match">
            Child’s name
          </Label>
          <TextInput type="text" autoComplete="off" maxLength={160} {...field('childName')} />
          <div className="grid-row grid-gap">
            <div className="tablet:grid-col-6">
              <Label htmlFor="tip-childDob">Date of birth</Label>
              <input className="usa-input" type="date" {...field('childDob')} />
            </div>
            <div className="tablet:grid-col-6">
              <Label htmlFor="tip-childAge" hint=" If no date of birth was given">
                Age in years
              </Label>
              <TextInput type="number" min={0} max={25} inputMode="numeric" {...field('childAge')} />
            </div>
          </div>
          <Label htmlFor="tip-aNumber" hint=" For example A-123-456-789">
            A-number
          </Label>
          <TextInput type="text" autoComplete="off" maxLength={20} {...field('aNumber')} />
          <Label htmlFor="tip-location" hint=" A street or a town">
            Where the child was seen or lives
          </Label>
          <TextInput type="text" autoComplete="off" maxLength={200} {...field('location')} />
          <Label htmlFor="tip-phone" hint=" For example the sponsor’s or the household’s">
            Phone number given
          </Label>
          <TextInput type="tel" autoComplete="off" maxLength={30} {...field('phone')} />
        </Fieldset>
        <Button type="submit" disabled={record.isPending}>
          {record.isPending ? 'Recording…' : 'Record the tip'}
        </Button>
      </Form>
      <div aria-live="polite" className="margin-top-4">
        {record.error ? (
          <Alert type="error" headingLevel="h2" heading="The tip was not recorded" role="alert">
            {record.error.message}
            {record.error instanceof ApiError && record.error.details.length > 0 ? (
              <ul>
                {record.error.details.map((detail) => (
                  <li key={detail.place}>
                    {detail.place.replace(/^\//, '')}: {detail.problem}
                  </li>
                ))}
              </ul>
            ) : null}
          </Alert>
        ) : record.data ? (
          <TipResult answer={record.data} />
        ) : null}
      </div>
    </>
  );
}

function TipResult({ answer }: { answer: TipAnswer }) {
  return (
    <>
      <Alert type="success" headingLevel="h2" heading={`Tip ${answer.tipId} recorded`}>
        {answer.candidates.length + answer.otherCandidates === 0
          ? 'No known child matches it now. It stays on record and is matched again at every monitoring sweep.'
          : 'Each child it may concern has a triage task; whoever works it decides whether the tip is about that child.'}
        {answer.otherCandidates > 0
          ? ` ${answer.otherCandidates} more ${answer.otherCandidates === 1 ? 'child' : 'children'} outside what you may see may match; their field offices triage them.`
          : ''}
      </Alert>
      {answer.candidates.length > 0 ? (
        <Table bordered fullWidth>
          <caption>Children this tip may concern</caption>
          <thead>
            <tr>
              <th scope="col">Child</th>
              <th scope="col">What matched</th>
              <th scope="col">Field office</th>
              <th scope="col">Triage task</th>
            </tr>
          </thead>
          <tbody>
            {answer.candidates.map((candidate) => (
              <tr key={candidate.childId}>
                <td>
                  <Link to={`/children/${candidate.childId}`}>
                    {[candidate.givenNames, candidate.surnames].filter(Boolean).join(' ') ||
                      `Child ${candidate.childId}`}
                  </Link>
                </td>
                <td>{candidate.evidence.map((code) => EVIDENCE[code] ?? code).join(', ')}</td>
                <td>{candidate.fieldOfficeCode ?? '—'}</td>
                <td>
                  {candidate.task
                    ? `Task ${candidate.task.id}, ${words(candidate.task.state, TASK_STATE_LABELS)}, due ${day(candidate.task.dueAt)}`
                    : 'No open task (the rule may be switched off)'}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
    </>
  );
}
