import type { FindingSeverity } from '../../../preload/api/schemas/audit';

export const SEVERITIES: readonly FindingSeverity[] = ['critical', 'warning', 'notice'];

/** How each severity is named and coloured, and what it means for the administrator. */
export const SEVERITY: Record<FindingSeverity, { label: string; plural: string; color: string; means: string }> = {
  critical: {
    label: 'Critical',
    plural: 'Critical',
    color: 'red',
    means: 'Someone can see records they should not, or cannot see records they should. Fix these first.',
  },
  warning: {
    label: 'Warning',
    plural: 'Warnings',
    color: 'orange',
    means: 'Not unsafe today, but one more change could open or close access by mistake.',
  },
  notice: {
    label: 'Notice',
    plural: 'Notices',
    color: 'blue',
    means: 'Worth tidying: it makes the access harder to read or to change safely.',
  },
};

export function countOf(count: number, severity: FindingSeverity): string {
  if (severity === 'critical') return `${count} critical`;
  return `${count} ${count === 1 ? severity : `${severity}s`}`;
}
