import type { WithId } from '@medplum/core';
import type { AccessPolicy, Organization, Patient, Practitioner, ProjectMembership, Resource } from '@medplum/fhirtypes';
import { RECORD_TYPES } from '../engines/compartment-sync';
import { MSO_CLINICAL_TYPES } from '../engines/mso-access-policy';
import type { AuditReader } from './audit-reader';

/**
 * Clinical types looked for in the project (policy gaps): the ones the MSO policy and the records
 * check know, and other common patient-compartment types a clinician's app may write.
 */
export const SCANNED_TYPES = [
  ...new Set<string>([
    ...MSO_CLINICAL_TYPES,
    ...RECORD_TYPES,
    'MedicationStatement',
    'MedicationAdministration',
    'Goal',
    'CareTeam',
    'Coverage',
    'Claim',
    'QuestionnaireResponse',
    'Specimen',
    'FamilyMemberHistory',
    'Flag',
    'RiskAssessment',
    'ClinicalImpression',
  ]),
];

/** What one audit reads of the project, once, in a bounded number of requests (docs/audit.md). */
export interface ProjectSnapshot {
  readonly clinics: WithId<Organization>[];
  readonly memberships: WithId<ProjectMembership>[];
  readonly practitioners: WithId<Practitioner>[];
  readonly policies: WithId<AccessPolicy>[];
  /** Every patient, with its name and meta (accounts) only. */
  readonly patients: WithId<Patient>[];
  /** Every record of RECORD_TYPES, meta only: accounts and compartments. */
  readonly records: WithId<Resource>[];
  /** How many resources of each SCANNED_TYPES type the project holds. */
  readonly typeCounts: ReadonlyMap<string, number>;
}

/** The lists read besides patients and records: counted first too, so the bound is known at once. */
const SMALL_LISTS = ['Organization', 'ProjectMembership', 'Practitioner', 'AccessPolicy'] as const;

/** How far an audit's reads are: requests answered of the most it will send (null until counted). */
export type SnapshotProgress = (read: { requests: number; bound: number | null }) => void;

/**
 * Reads the whole project by type, each over pages of 1,000: never per patient. Requests:
 * 1 batch of counts (which gives the bound, `auditRequestBound`) + Σ ⌊list/1000⌋ + 1 per list.
 */
export async function readProjectSnapshot(reader: AuditReader, onProgress?: SnapshotProgress): Promise<ProjectSnapshot> {
  let bound: number | null = null;
  const stop = onProgress ? reader.onAnswered((requests) => onProgress({ requests, bound })) : undefined;
  try {
    const countedTypes = [...SMALL_LISTS, ...SCANNED_TYPES];
    const totals = await reader.counts(
      countedTypes.map((type) => `${type}?_summary=count`),
      'count what the audit reads'
    );
    const counted = new Map(countedTypes.map((type, i) => [type, totals[i] ?? 0]));
    bound = boundOf([...SMALL_LISTS, 'Patient', ...RECORD_TYPES].map((type) => counted.get(type) ?? 0), reader.pageSize);
    onProgress?.({ requests: reader.requests, bound });
    const [clinics, memberships, practitioners, policies] = await Promise.all([
      reader.all<Organization>('Organization', {}, 'read the clinics'),
      reader.all<ProjectMembership>('ProjectMembership', {}, 'read the project memberships'),
      reader.all<Practitioner>('Practitioner', { _elements: 'name' }, 'read the clinicians'),
      reader.all<AccessPolicy>('AccessPolicy', {}, 'read the access policies'),
    ]);
    const patients = await reader.all<Patient>('Patient', { _elements: 'name' }, 'read the patients');
    const records: WithId<Resource>[] = [];
    for (const type of RECORD_TYPES) {
      records.push(...(await reader.all<Resource>(type, { _elements: 'id' }, 'read the patients’ records')));
    }
    return {
      clinics,
      memberships,
      practitioners,
      policies,
      patients,
      records,
      typeCounts: new Map(SCANNED_TYPES.map((type) => [type, counted.get(type) ?? 0])),
    };
  } finally {
    stop?.();
  }
}

/** The bound for lists of these sizes: one batch of counts, then ⌊n/page⌋ + 1 pages per list. */
function boundOf(sizes: readonly number[], page: number): number {
  return sizes.reduce((sum, n) => sum + pagesFor(n, page), 0) + COUNT_BATCHES;
}

/** The counts go in one batch of at most 50 searches. */
const COUNT_BATCHES = Math.ceil((SMALL_LISTS.length + SCANNED_TYPES.length) / 50);

/** Requests for one list of `n` resources read in pages of `page`: the last page may be empty. */
function pagesFor(n: number, page: number): number {
  return Math.floor(n / page) + 1;
}

/**
 * The most HTTP requests `readProjectSnapshot` sends for a project of this size (docs/audit.md):
 * ⌊n/1000⌋ + 1 for each of the 5 lists and the 13 record types, plus one batch of counts.
 */
export function auditRequestBound(
  scanned: { clinics: number; memberships: number; patients: number },
  sizes: { practitioners: readonly unknown[]; policies: readonly unknown[]; records: readonly { resourceType: string }[] },
  page = 1000,
): number {
  const perType = new Map<string, number>();
  for (const r of sizes.records) perType.set(r.resourceType, (perType.get(r.resourceType) ?? 0) + 1);
  const lists = [scanned.clinics, scanned.memberships, sizes.practitioners.length, sizes.policies.length, scanned.patients, ...RECORD_TYPES.map((t) => perType.get(t) ?? 0)];
  return boundOf(lists, page);
}
