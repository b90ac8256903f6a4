import { useQuery } from '@tanstack/react-query';
import { api } from './api';

export interface Deployment {
  banner: 'none' | 'us-government';
}

/** How this deployment presents itself; asked before sign-in, so the banner shows on every page. */
export function useDeployment() {
  return useQuery({
    queryKey: ['deployment'],
    queryFn: () => api<Deployment>('/api/v1/deployment'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}
