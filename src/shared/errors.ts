/**
 * The few kinds of failure the system reports. Each carries a code and a message that is safe to show;
 * transports (HTTP, CLI) map codes to status and exit codes in one exhaustive switch each.
 */
export type ErrorCode =
  | 'config_invalid'
  | 'input_invalid'
  | 'not_found'
  | 'unauthenticated'
  | 'forbidden'
  | 'conflict'
  | 'too_large'
  | 'unsupported_media_type'
  | 'database_busy'
  | 'database_unavailable'
  | 'upstream_unavailable';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'input_invalid':
      return 400;
    case 'unauthenticated':
      return 401;
    case 'forbidden':
      return 403;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'database_busy':
    case 'database_unavailable':
      return 503;
    case 'upstream_unavailable':
      return 502;
    case 'config_invalid':
      return 500;
  }
}

/** Exit codes follow sysexits loosely: 2 for bad configuration or usage, 3 for an unavailable resource. */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'config_invalid':
    case 'input_invalid':
    case 'too_large':
    case 'unsupported_media_type':
      return 2;
    case 'database_busy':
    case 'database_unavailable':
    case 'upstream_unavailable':
      return 3;
    case 'not_found':
    case 'unauthenticated':
    case 'forbidden':
    case 'conflict':
      return 1;
  }
}
