/**
 * What a patient's move into or out of a clinic means for access: which of that clinic's
 * clinicians start or stop seeing the patient. One read of the memberships (the roster's own,
 * without its Practitioner reads) per preview, shared by every clinic the preview names; no patient scans.
 */
import type { EngineContext } from '../engines/engine-context';
import { clinicianMemberships } from '../engines/rosters';

export interface ClinicReach {
  /** Clinicians enrolled in the clinic. */
  readonly enrolled: number;
  /** Of those, the ones with no other clinic the patient is in afterwards (they gain or lose the patient). */
  readonly affected: number;
}

export type ClinicReachReader = (clinic: string, patientClinicsAfter: readonly string[]) => Promise<ClinicReach | undefined>;

/** Undefined when the roster cannot be read: the sentence then leaves the count out. */
export function clinicReachReader(ctx: EngineContext): ClinicReachReader {
  let roster: Promise<readonly (readonly string[])[] | undefined> | undefined;
  const clinicsOfClinicians = () =>
    (roster ??= clinicianMemberships(ctx).then(
      (rows) => [...rows.values()].filter((r) => r.memberships.length > 0).map((r) => [...r.clinics]),
      () => undefined
    ));
  return async (clinic, patientClinicsAfter) => {
    const all = await clinicsOfClinicians();
    if (!all) return undefined;
    const others = patientClinicsAfter.filter((c) => c !== clinic);
    const enrolled = all.filter((clinics) => clinics.includes(clinic));
    return { enrolled: enrolled.length, affected: enrolled.filter((clinics) => !clinics.some((c) => others.includes(c))).length };
  };
}

/** ": its 3 clinicians will no longer see their records", in the administrator's words. */
export function reachClause(reach: ClinicReach | undefined, verb: 'will no longer see' | 'will see again'): string {
  if (!reach) return '';
  if (reach.enrolled === 0) return ': it has no clinicians, so no one’s access changes';
  const still = reach.enrolled - reach.affected;
  const clinicians = (n: number) => `${n.toLocaleString('en-US')} clinician${n === 1 ? '' : 's'}`;
  if (reach.affected === 0) {
    return `: its ${clinicians(reach.enrolled)} ${reach.enrolled === 1 ? 'sees' : 'see'} their records through another clinic either way`;
  }
  const whom = still === 0 ? `its ${clinicians(reach.enrolled)}` : `${reach.affected.toLocaleString('en-US')} of its ${clinicians(reach.enrolled)}`;
  const rest = still === 0 ? '' : ` (${still === 1 ? 'the other sees' : 'the others see'} them through another clinic)`;
  return verb === 'will see again'
    ? `: ${whom} will see their records again${rest}`
    : `: ${whom} will no longer see their records${rest}`;
}
