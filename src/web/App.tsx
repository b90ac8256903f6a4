import { GovBanner, GridContainer, SiteAlert } from '@trussworks/react-uswds';
import { type ComponentType, lazy, Suspense } from 'react';
import { Link, Route, Routes } from 'react-router';
import { useDeployment } from './deployment';
import { Allowed } from './layout/Allowed';
import { PageFooter } from './layout/PageFooter';
import { PageHeader } from './layout/PageHeader';
import { SignIn } from './pages/SignIn';
import { type Session, useSession } from './session';

export function App() {
  const session = useSession();
  const deployment = useDeployment();
  return (
    <>
      <a className="usa-skipnav" href="#main-content">
        Skip to main content
      </a>
      {deployment.data?.banner === 'us-government' ? <GovBanner /> : null}
      <PageHeader session={session.data ?? null} />
      <main id="main-content" className="padding-y-4" tabIndex={-1}>
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
            <Pages session={session.data} />
          )}
        </GridContainer>
      </main>
      <PageFooter />
    </>
  );
}

/** A page loaded when first shown, not with the sign-in page (the dashboard carries the map's geometry). */
function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>) {
  return lazy(async () => ({ default: await load() }));
}
const NationalDashboard = lazyPage(() =>
  import('./pages/NationalDashboard').then((m) => m.NationalDashboard),
);
const OpenCase = lazyPage(() => import('./pages/OpenCase').then((m) => m.OpenCase));
const ChildSearch = lazyPage(() => import('./pages/ChildSearch').then((m) => m.ChildSearch));
const ChildCase = lazyPage(() => import('./pages/ChildCase').then((m) => m.ChildCase));
const TaskQueue = lazyPage(() => import('./pages/TaskQueue').then((m) => m.TaskQueue));
const IdentityReview = lazyPage(() => import('./pages/IdentityReview').then((m) => m.IdentityReview));
const FigureList = lazyPage(() => import('./pages/FigureList').then((m) => m.FigureList));
const OversightReport = lazyPage(() => import('./pages/OversightReport').then((m) => m.OversightReport));
const AuditLog = lazyPage(() => import('./pages/AuditLog').then((m) => m.AuditLog));

// Worklists and the tip form: loaded when first opened.
const AddressesNeedingAction = lazy(() =>
  import('./pages/AddressesNeedingAction').then((module) => ({ default: module.AddressesNeedingAction })),
);
const PlaceRisk = lazy(() => import('./pages/PlaceRisk').then((module) => ({ default: module.PlaceRisk })));
const TipIntake = lazy(() => import('./pages/TipIntake').then((module) => ({ default: module.TipIntake })));

/** Every page has its own address, so a link or a reload opens it again (the server answers index.html). */
function Pages({ session }: { session: Session }) {
  return (
    <Suspense fallback={<p aria-live="polite">Loading…</p>}>
      <Routes>
        <Route
          path="/"
          element={
            session.permissions.includes('report.read') ? (
              <NationalDashboard session={session} />
            ) : (
              <Welcome session={session} />
            )
          }
        />
        <Route
          path="/children"
          element={
            <Allowed session={session} permission="case.read">
              <OpenCase />
            </Allowed>
          }
        />
        <Route
          path="/search"
          element={
            <Allowed session={session} permission="case.search">
              <ChildSearch />
            </Allowed>
          }
        />
        <Route
          path="/children/:id"
          element={
            <Allowed session={session} permission="case.read">
              <ChildCase />
            </Allowed>
          }
        />
        <Route
          path="/queue"
          element={
            <Allowed session={session} permission="task.read">
              <TaskQueue session={session} />
            </Allowed>
          }
        />
        <Route
          path="/review"
          element={
            <Allowed session={session} permission="linkage.decide">
              <IdentityReview />
            </Allowed>
          }
        />
        <Route
          path="/reports/figures/:figure"
          element={
            <Allowed session={session} permission="report.list_children">
              <FigureList session={session} />
            </Allowed>
          }
        />
        <Route
          path="/reports/oversight"
          element={
            <Allowed session={session} permission="report.read">
              <OversightReport />
            </Allowed>
          }
        />
        <Route
          path="/audit"
          element={
            <Allowed session={session} permission="audit.read">
              <AuditLog />
            </Allowed>
          }
        />
        <Route
          path="/addresses"
          element={
            <Allowed session={session} permission="case.read">
              <AddressesNeedingAction session={session} />
            </Allowed>
          }
        />
        <Route
          path="/risk/places"
          element={
            <Allowed session={session} permission="alert.read">
              <PlaceRisk />
            </Allowed>
          }
        />
        <Route
          path="/tips/new"
          element={
            <Allowed session={session} permission="tip.record">
              <TipIntake />
            </Allowed>
          }
        />
        <Route path="*" element={<NotFound />} />
      </Routes>
    </Suspense>
  );
}

function Welcome({ session }: { session: Session }) {
  return (
    <>
      <h1>Whereabouts</h1>
      <p className="usa-intro">
        For every child released from federal custody: where the child is, whether the child is safe, and
        whether the child has a court date and shows up to it.
      </p>
      {session.permissions.includes('case.read') ? (
        <p>
          <Link to="/children">Open a child’s case</Link>
        </p>
      ) : (
        <p>Your role has no pages in Whereabouts yet beyond this one.</p>
      )}
    </>
  );
}

function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        There is no page at this address. <Link to="/">Go to the start page.</Link>
      </p>
    </>
  );
}
