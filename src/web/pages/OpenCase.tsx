import { Button, Form, Label, TextInput } from '@trussworks/react-uswds';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';

/** Opens a case by its Whereabouts child id (from a task, a figure's list or a colleague's link). */
export function OpenCase() {
  const navigate = useNavigate();
  const [id, setId] = useState('');
  const valid = /^\d{1,15}$/.test(id.trim());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (valid) void navigate(`/children/${id.trim()}`);
  };
  return (
    <>
      <h1>Open a child’s case</h1>
      <Form onSubmit={submit}>
        <Label htmlFor="child-id" hint=" The number in a task, a list or a link, such as 1042.">
          Whereabouts child id
        </Label>
        <TextInput
          id="child-id"
          name="child-id"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          value={id}
          onChange={(event) => setId(event.target.value)}
          validationStatus={id && !valid ? 'error' : undefined}
          aria-describedby={id && !valid ? 'child-id-error' : undefined}
        />
        {id && !valid ? (
          <span className="usa-error-message" id="child-id-error" role="alert">
            A child id is a whole number, such as 1042.
          </span>
        ) : null}
        <Button type="submit" disabled={!valid}>
          Continue
        </Button>
      </Form>
    </>
  );
}
