import { Button, Header, Title } from '@trussworks/react-uswds';
import { type Session, useSignOut } from '../session';

export function PageHeader({ session }: { session: Session | null }) {
  const signOut = useSignOut();
  return (
    <Header basic>
      <div className="usa-nav-container">
        <div className="usa-navbar">
          <Title>
            <a href="/" title="Whereabouts home" aria-label="Whereabouts home">
              Whereabouts
            </a>
          </Title>
        </div>
        {session ? (
          <div className="display-flex flex-align-center flex-justify-end padding-y-1">
            <span className="margin-right-2">
              Signed in as <strong>{session.displayName}</strong>
              {session.fieldOfficeCode ? ` (${session.fieldOfficeCode})` : ''}
            </span>
            <Button type="button" outline onClick={() => signOut.mutate()}>
              Sign out
            </Button>
          </div>
        ) : null}
      </div>
    </Header>
  );
}
