import type { ReactNode } from 'react';
import type { Session } from '../session';

/** Shows its page only to a person whose permissions allow it; the server enforces the same permission. */
export function Allowed({
  session,
  permission,
  children,
}: {
  session: Session;
  permission: string;
  children: ReactNode;
}) {
  if (session.permissions.includes(permission)) return <>{children}</>;
  return (
    <>
      <h1>Not available to your role</h1>
      <p>
        This page needs the permission <code>{permission}</code>, which your role does not have. If you need
        it for your work, ask your supervisor. <a href="/">Go to the start page.</a>
      </p>
    </>
  );
}
