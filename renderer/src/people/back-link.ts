import { useLocation } from 'react-router';

/** Where a person's page leads back to when opened from a clinic's list (with its tab, search and page). */
export interface BackLink {
  path: string;
  label: string;
}

export function useBackLink(clinicName: string | undefined): { from: BackLink } | undefined {
  const location = useLocation();
  return clinicName ? { from: { path: `${location.pathname}${location.search}`, label: clinicName } } : undefined;
}

export function backLinkOf(state: unknown): BackLink | null {
  const from = (state as { from?: Partial<BackLink> } | null)?.from;
  return typeof from?.path === 'string' && from.path.startsWith('/clinics/') && typeof from.label === 'string'
    ? { path: from.path, label: from.label }
    : null;
}
