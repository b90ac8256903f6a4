/** The web app's one way to call the API: JSON in and out, the session's CSRF token on every change. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** For a refused request body: each field (JSON pointer) and what was wrong with it. */
    readonly details: { place: string; problem: string }[] = [],
  ) {
    super(message);
  }
}

let csrfToken: string | undefined;
export const rememberCsrfToken = (token: string | undefined) => {
  csrfToken = token;
};

export async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(method !== 'GET' && csrfToken ? { 'x-csrf-token': csrfToken } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => ({}))) as {
    error?: { code: string; message: string; details?: unknown };
  };
  if (!response.ok) {
    throw new ApiError(
      response.status,
      body.error?.code ?? 'error',
      body.error?.message ?? `The server answered ${response.status}.`,
      Array.isArray(body.error?.details) ? (body.error.details as { place: string; problem: string }[]) : [],
    );
  }
  return body as T;
}
