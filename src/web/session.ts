import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, rememberCsrfToken } from './api';

export interface Session {
  username: string;
  displayName: string;
  roles: string[];
  permissions: string[];
  fieldOfficeCode: string | null;
  csrfToken: string;
}

/** The signed-in person, or null when nobody is; permissions mirror the server's, to show only what may be used. */
export function useSession() {
  return useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      try {
        const session = await api<Session>('/api/v1/session');
        rememberCsrfToken(session.csrfToken);
        return session;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (credentials: { username: string; password: string }) =>
      api<Session>('/api/v1/session', { method: 'POST', body: credentials }),
    onSuccess: (session) => {
      rememberCsrfToken(session.csrfToken);
      client.setQueryData(['session'], session);
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/api/v1/session', { method: 'DELETE' }),
    onSuccess: () => {
      rememberCsrfToken(undefined);
      client.setQueryData(['session'], null);
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'session' });
    },
  });
}
