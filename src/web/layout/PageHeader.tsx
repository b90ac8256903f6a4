import { Button, Header, NavMenuButton, PrimaryNav, Title } from '@trussworks/react-uswds';
import { useState } from 'react';
import { Link, NavLink } from 'react-router';
import { type Session, useSignOut } from '../session';

/** Each page a person may open, shown only to those whose permissions allow it (the server checks again). */
const PAGES: { to: string; label: string; permission: string; end?: boolean }[] = [
  { to: '/', label: 'National dashboard', permission: 'report.read', end: true },
  { to: '/queue', label: 'Queue', permission: 'task.read' },
  { to: '/search', label: 'Find a child', permission: 'case.search' },
  { to: '/review', label: 'Identity review', permission: 'linkage.decide' },
  { to: '/children', label: 'Open a case', permission: 'case.read' },
  { to: '/addresses', label: 'Addresses to fix', permission: 'case.read' },
  { to: '/risk/places', label: 'Shared places', permission: 'alert.read' },
  { to: '/tips/new', label: 'Record a tip', permission: 'tip.record' },
  { to: '/reports/oversight', label: 'Oversight report', permission: 'report.read' },
  { to: '/audit', label: 'Audit log', permission: 'audit.read' },
];

export function PageHeader({ session }: { session: Session | null }) {
  const signOut = useSignOut();
  const [expanded, setExpanded] = useState(false);
  const pages = session ? PAGES.filter((page) => session.permissions.includes(page.permission)) : [];
  return (
    <>
      <div className={`usa-overlay ${expanded ? 'is-visible' : ''}`} />
      <Header basic>
        <div className="usa-nav-container">
          <div className="usa-navbar">
            <Title>
              <Link to="/" title="Whereabouts home" aria-label="Whereabouts home">
                Whereabouts
              </Link>
            </Title>
            {pages.length > 0 ? <NavMenuButton onClick={() => setExpanded(!expanded)} label="Menu" /> : null}
          </div>
          {session ? (
            <PrimaryNav
              aria-label="Primary"
              mobileExpanded={expanded}
              onToggleMobileNav={() => setExpanded(!expanded)}
              items={[
                ...pages.map((page) => (
                  <NavLink
                    key={page.to}
                    to={page.to}
                    end={page.end ?? false}
                    className={({ isActive }) => `usa-nav-link${isActive ? ' usa-current' : ''}`}
                    onClick={() => setExpanded(false)}
                  >
                    <span>{page.label}</span>
                  </NavLink>
                )),
                <span key="who" className="usa-nav__link display-block text-base-dark">
                  {session.displayName}
                  {session.fieldOfficeCode ? ` (${session.fieldOfficeCode})` : ''}
                </span>,
                <Button key="out" type="button" outline onClick={() => signOut.mutate()}>
                  Sign out
                </Button>,
              ]}
            />
          ) : null}
        </div>
      </Header>
    </>
  );
}
