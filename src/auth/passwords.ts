import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../shared/errors';

/** argon2id with the library's defaults (19 MiB, 2 passes): OWASP's recommended floor. */
export function hashPassword(password: string): Promise<string> {
  if (password.length < 12) throw new AppError('input_invalid', 'A password needs at least 12 characters.');
  return hash(password);
}

export async function passwordMatches(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
