import { Alert, Button, Fieldset, Form, Label, TextInput } from '@trussworks/react-uswds';
import { type FormEvent, useState } from 'react';
import { useSignIn } from '../session';

export function SignIn() {
  const signIn = useSignIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ username, password });
  };
  return (
    <div className="grid-row">
      <div className="grid-col-12 tablet:grid-col-6">
        <h1>Sign in</h1>
        {signIn.error ? (
          <Alert type="error" headingLevel="h2" heading="Not signed in" role="alert">
            {signIn.error.message}
          </Alert>
        ) : null}
        <Form onSubmit={submit} large>
          <Fieldset legend="Your Whereabouts account" legendStyle="large">
            <Label htmlFor="username">Username</Label>
            <TextInput
              id="username"
              name="username"
              type="text"
              autoComplete="username"
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
            <Label htmlFor="password">Password</Label>
            <TextInput
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <Button type="submit" disabled={signIn.isPending}>
              {signIn.isPending ? 'Signing in…' : 'Sign in'}
            </Button>
          </Fieldset>
        </Form>
        <p className="usa-hint">
          Demonstration accounts are named demo-&lt;role&gt;; the password is printed when the demo starts.
        </p>
      </div>
    </div>
  );
}
