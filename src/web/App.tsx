import { GridContainer, SiteAlert } from '@trussworks/react-uswds';
import { useEffect, useState } from 'react';
import { PageFooter } from './layout/PageFooter';
import { PageHeader } from './layout/PageHeader';

type Health = { status: 'ok' | 'unavailable'; engine: string } | 'unreachable' | undefined;

export function App() {
  const [health, setHealth] = useState<Health>();
  useEffect(() => {
    fetch('/healthz')
      .then((response) => response.json() as Promise<Health>)
      .then(setHealth)
      .catch(() => setHealth('unreachable'));
  }, []);

  return (
    <>
      <a className="usa-skipnav" href="#main-content">
        Skip to main content
      </a>
      <PageHeader />
      <main id="main-content" className="padding-y-4">
        <GridContainer>
          <h1>Whereabouts</h1>
          <p className="usa-intro">
            For every child released from federal custody: where the child is, whether the child is safe, and
            whether the child has a court date and shows up to it.
          </p>
          {health === 'unreachable' || health?.status === 'unavailable' ? (
            <SiteAlert slim variant="emergency" aria-live="polite">
              The database is not answering. Figures and cases cannot be shown until it is back.
            </SiteAlert>
          ) : null}
          <p className="usa-prose">
            This demonstration runs on a synthetic caseload. No real person&rsquo;s data is used.
          </p>
        </GridContainer>
      </main>
      <PageFooter />
    </>
  );
}
