import type { FastifyInstance } from 'fastify';
import type { Database } from '../db';
import { createAccount } from './accounts.repository';
import { hashPassword } from './passwords';
import type { Role } from './permissions';

export const TEST_PASSWORD = 'test password of enough length';
let passwordHash: Promise<string> | undefined;

/** Creates an account with the given role (and office) and signs it in: the cookie and CSRF token to send. */
export async function signedIn(
  app: FastifyInstance,
  db: Database,
  username: string,
  role: Role,
  fieldOfficeCode: string | null = null,
  regionOffices: string[] | null = null,
) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  await createAccount(db, {
    username,
    displayName: username,
    passwordHash: await passwordHash,
    roles: [role],
    fieldOfficeCode,
    regionOffices,
  });
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { username, password: TEST_PASSWORD },
  });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`);
  return {
    cookie: String(response.headers['set-cookie']).split(';')[0]!,
    csrfToken: response.json().csrfToken as string,
  };
}
