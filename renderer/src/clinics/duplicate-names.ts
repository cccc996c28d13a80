// Clinic names compared exactly as main and the roster import compare them.
import { clinicNameKey } from '../../../preload/api/roster/rules';

/**
 * The ids of clinics whose name another clinic shares. Main refuses new duplicates; these are
 * older ones, shown with their identifiers so an administrator can tell them apart and rename one.
 */
export function duplicateNameIds(clinics: readonly { id: string; name: string }[]): Set<string> {
  const byKey = new Map<string, string[]>();
  for (const clinic of clinics) {
    const key = clinicNameKey(clinic.name);
    byKey.set(key, [...(byKey.get(key) ?? []), clinic.id]);
  }
  return new Set([...byKey.values()].filter((ids) => ids.length > 1).flat());
}

/** How a clinic is named where its name alone may not tell it apart: "Northgate (NG-2)" or "(id 1a2b…)". */
export function distinctClinicLabel(clinic: { id: string; name: string; identifiers: readonly { value: string }[] }): string {
  const identifier = clinic.identifiers[0]?.value;
  return `${clinic.name} (${identifier ?? `id ${clinic.id.slice(0, 8)}`})`;
}
