import type { WithId } from '@medplum/core';
import type { AccessPolicy } from '@medplum/fhirtypes';
import type { AuditReport } from '../../preload/api/schemas/audit';
import { MSO_POLICY_NAME } from '../engines/mso-access-policy';
import { type AuditReader } from './audit-reader';
import { countBySeverity, sortFindings } from './finding';
import { Labels } from './labels';
import { membershipFindings } from './membership-findings';
import { policyFindings } from './policy-findings';
import { variantOf } from '../engines/mso-access-policy';
import { type ProjectSnapshot, type SnapshotProgress, readProjectSnapshot } from './project-snapshot';
import { type Drift, findDrift, patientsInNoClinic, recordFindings } from './record-findings';

export interface AuditRun {
  readonly report: AuditReport;
  /** Kept for previews and repairs of this report's findings. */
  readonly snapshot: ProjectSnapshot;
  readonly drift: readonly Drift[];
  readonly policy: WithId<AccessPolicy> | undefined;
  readonly labels: Labels;
}

export interface AuditInput {
  readonly reader: AuditReader;
  readonly projectId: string;
  readonly projectName: string;
  readonly clock?: () => Date;
  /** Told after each request (the audit job's progress). */
  readonly onProgress?: SnapshotProgress;
}

/** Reads the project once and lists every finding (docs/audit.md). Writes nothing. */
export async function runAudit(input: AuditInput): Promise<AuditRun> {
  const started = Date.now();
  const snapshot = await readProjectSnapshot(input.reader, input.onProgress);
  return assessSnapshot(input, snapshot, Date.now() - started);
}

export function msoPolicyOf(snapshot: Pick<ProjectSnapshot, 'policies'>): WithId<AccessPolicy> | undefined {
  return snapshot.policies.find((p) => p.name === MSO_POLICY_NAME);
}

/** The findings of a snapshot already read (pure: the unit tests drive it directly). */
export function assessSnapshot(input: Omit<AuditInput, 'reader'> & { reader?: AuditReader }, snapshot: ProjectSnapshot, durationMs = 0): AuditRun {
  const labels = new Labels(snapshot);
  const policy = msoPolicyOf(snapshot);
  const msoPolicy = policy ? `AccessPolicy/${policy.id}` : undefined;
  const drift = findDrift(snapshot.patients, snapshot.records);
  const clinicRefs = new Set(snapshot.clinics.map((c) => `Organization/${c.id}`));
  const findings = sortFindings([
    ...policyFindings(policy, snapshot.typeCounts, labels),
    ...membershipFindings({ memberships: snapshot.memberships, clinics: snapshot.clinics, msoPolicy }, labels),
    ...recordFindings(drift, patientsInNoClinic(snapshot.patients, clinicRefs), labels),
  ]);
  const report: AuditReport = {
    ranAt: (input.clock ? input.clock() : new Date()).toISOString(),
    projectId: input.projectId,
    projectName: input.projectName,
    policyVariant: policy ? (variantOf(policy)?.kind ?? null) : null,
    counts: countBySeverity(findings),
    findings,
    scanned: {
      clinics: snapshot.clinics.length,
      memberships: snapshot.memberships.length,
      clinicians: new Set(snapshot.memberships.filter((m) => m.profile?.reference?.startsWith('Practitioner/')).map((m) => m.profile?.reference)).size,
      patients: snapshot.patients.length,
      records: snapshot.records.length,
    },
    requests: input.reader?.requests ?? 0,
    durationMs,
  };
  return { report, snapshot, drift, policy, labels };
}
