import type { AuditFinding, FindingKind, FindingSeverity, FixDescriptor, RecordRef } from '../../preload/api/schemas/audit';

/** At most this many records are listed on a finding; `concernCount` keeps the whole number. */
export const CONCERNS_LISTED = 200;

const SEVERITY_ORDER: Record<FindingSeverity, number> = { critical: 0, warning: 1, notice: 2 };

export function finding(
  kind: FindingKind,
  key: string,
  severity: FindingSeverity,
  title: string,
  explanation: string,
  concerns: readonly RecordRef[],
  fix: FixDescriptor,
): AuditFinding {
  return {
    id: `${kind}:${key}`,
    kind,
    severity,
    title,
    explanation,
    concerns: concerns.slice(0, CONCERNS_LISTED),
    concernCount: concerns.length,
    fix,
  };
}

export function repairFix(repair: NonNullable<FixDescriptor['repair']>, title: string, explains: string): FixDescriptor {
  return { title, explains, repair, steps: [] };
}

export function manualFix(title: string, explains: string, steps: string[]): FixDescriptor {
  return { title, explains, repair: null, steps };
}

/** Most severe first, then by title, so two audits of the same project list alike. */
export function sortFindings(findings: AuditFinding[]): AuditFinding[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.id.localeCompare(b.id));
}

export function countBySeverity(findings: readonly AuditFinding[]): Record<FindingSeverity, number> {
  const counts = { critical: 0, warning: 0, notice: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}
