import { useQuery } from '@tanstack/react-query';
import type { NationalReport } from '../reports';
import { api } from './api';
import type { Session } from './session';

export interface Trends {
  asOf: string;
  months: { month: string; released: number; ntaIssued: number; failedToAppear: number }[];
}
export interface ByState {
  asOf: string;
  figure: string;
  label: string;
  states: Record<string, number>;
  noState: number;
}
export interface OfficeComparison {
  asOf: string;
  offices: { code: string; name: string; openTasks: number; overdueTasks: number }[];
}

export const useNationalReport = () =>
  useQuery({
    queryKey: ['reports', 'national'],
    queryFn: () => api<NationalReport>('/api/v1/reports/national'),
  });
export const useTrends = () =>
  useQuery({
    queryKey: ['reports', 'trends'],
    queryFn: () => api<Trends>('/api/v1/reports/trends?months=24'),
  });
export const useByState = () =>
  useQuery({ queryKey: ['reports', 'by-state'], queryFn: () => api<ByState>('/api/v1/reports/by-state') });
export const useOfficeComparison = () =>
  useQuery({
    queryKey: ['reports', 'field-offices'],
    queryFn: () => api<OfficeComparison>('/api/v1/reports/field-offices'),
  });

/**
 * Where a figure's number may link to the children behind it: only for roles that may list children, and
 * for office-scoped roles only in their own office. Everyone else sees the number alone.
 */
export function figureListLink(session: Session, figure: string, office?: string): string | undefined {
  if (!session.permissions.includes('report.list_children')) return undefined;
  const own = session.fieldOfficeCode;
  if (own && office && office !== own) return undefined;
  const scoped = office ?? own;
  return `/reports/figures/${figure}${scoped ? `?office=${encodeURIComponent(scoped)}` : ''}`;
}
