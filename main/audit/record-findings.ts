import type { WithId } from '@medplum/core';
import type { Patient, Reference, Resource } from '@medplum/fhirtypes';
import type { AuditFinding } from '../../preload/api/schemas/audit';
import { sameAccounts, unionAccounts } from '../engines/account-delta';
import { accountsOf } from '../engines/account-plan';
import { clinicsOfPatient } from '../engines/patients';
import { finding, manualFix, repairFix } from './finding';
import type { Labels } from './labels';

/** A record whose accounts are not its patient's, and what they should be. */
export interface Drift {
  readonly record: string;
  readonly patients: string[];
  readonly has: Reference[];
  readonly wanted: Reference[];
}

/**
 * Compares each record with its patients (from `meta.compartment`): it should carry exactly the
 * union of their accounts, as the console's records check leaves it. Records of patients the
 * snapshot does not hold (deleted) are left alone.
 */
export function findDrift(patients: readonly WithId<Patient>[], records: readonly WithId<Resource>[]): Drift[] {
  const accounts = new Map(patients.map((p) => [`Patient/${p.id}`, accountsOf(p)]));
  const drift: Drift[] = [];
  for (const record of records) {
    const own = (record.meta?.compartment ?? []).map((c) => c.reference ?? '').filter((r) => accounts.has(r));
    if (!own.length) continue;
    const wanted = unionAccounts(...own.map((p) => accounts.get(p) ?? []));
    const has = accountsOf(record);
    if (!sameAccounts(has, wanted)) {
      drift.push({ record: `${record.resourceType}/${record.id}`, patients: own, has, wanted });
    }
  }
  return drift;
}

export function patientsInNoClinic(patients: readonly WithId<Patient>[], clinicRefs: ReadonlySet<string>): WithId<Patient>[] {
  return patients.filter((p) => !clinicsOfPatient(p).some((c) => clinicRefs.has(c)));
}

export function recordFindings(drift: readonly Drift[], orphans: readonly WithId<Patient>[], labels: Labels): AuditFinding[] {
  const findings: AuditFinding[] = [];
  if (orphans.length) {
    findings.push(
      finding('patient-in-no-clinic', 'project', 'warning', 'Patients in no clinic',
        `${orphans.length} patient${orphans.length === 1 ? ' is' : 's are'} in no existing clinic: no clinician can see ${orphans.length === 1 ? 'them' : 'these patients'} or their records, and nobody is told.`,
        orphans.map((p) => labels.ref(`Patient/${p.id}`)),
        manualFix('Put them in a clinic', 'A person decides which clinic each patient belongs to.', ['Open each patient from Patients and add their clinic (or enroll them from the clinic’s page).'])),
    );
  }
  if (drift.length) {
    const patients = [...new Set(drift.flatMap((d) => d.patients))];
    findings.push(
      finding('compartment-drift', 'project', 'critical', 'Records whose clinics differ from their patient’s',
        `${drift.length} record${drift.length === 1 ? '' : 's'} of ${patients.length} patient${patients.length === 1 ? '' : 's'} belong to other clinics than the patient (left by $set-accounts without propagate, or by a write that carried its own meta): clinics the patient left may still see them, clinics the patient joined may not.`,
        patients.map((p) => labels.ref(p)),
        repairFix('resync-patient-records', 'Bring the records in line', 'Gives every record of each patient concerned the patient’s clinics, with the same checked writes as an enrollment.')),
    );
  }
  return findings;
}
