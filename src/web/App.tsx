import { GridContainer, SiteAlert } from '@trussworks/react-uswds';
import { Route, Routes } from 'react-router';
import { PageFooter } from './layout/PageFooter';
import { PageHeader } from './layout/PageHeader';
import { NationalFigures } from './pages/NationalFigures';
import { SignIn } from './pages/SignIn';
import { useSession } from './session';

export function App() {
  const session = useSession();
  return (
    <>
      <a className="usa-skipnav" href="#main-content">
        Skip to main content
      </a>
      <PageHeader session={session.data ?? null} />
      <main id="main-content" className="padding-y-4">
        <GridContainer>
          {session.error ? (
            <SiteAlert slim variant="emergency" aria-live="polite">
              Whereabouts is not answering. Figures and cases cannot be shown until it is back.
            </SiteAlert>
          ) : session.isPending ? (
            <p aria-live="polite">Loading…</p>
          ) : !session.data ? (
            <SignIn />
          ) : (
            <Routes>
              <Route
                path="/"
                element={session.data.permissions.includes('report.read') ? <NationalFigures /> : <Welcome />}
              />
              <Route path="*" element={<NotFound />} />
            </Routes>
          )}
        </GridContainer>
      </main>
      <PageFooter />
    </>
  );
}

function Welcome() {
  return (
    <>
      <h1>Whereabouts</h1>
      <p className="usa-intro">
        For every child released from federal custody: where the child is, whether the child is safe, and
        whether the child has a court date and shows up to it.
      </p>
    </>
  );
}

function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is no page at this address. <a href="/">Go to the start page.</a>
      </p>
    </>
  );
}
