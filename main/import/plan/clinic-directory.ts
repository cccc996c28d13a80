/**
 * The project's clinics, read once per plan, and how a roster's clinic reference resolves among
 * them: by name (trimmed, case-folded; a name two clinics share is ambiguous), by
 * `Organization/<id>`, or by one of its identifiers.
 */
import type { Organization } from '@medplum/fhirtypes';
import { type ClinicReference, clinicNameKey } from '../../../preload/api/roster/rules';
import { searchAll } from '../../engines/all-pages';
import { withRetries } from '../apply/with-retries';
import type { EngineContext } from '../../engines/engine-context';

export interface ClinicEntry {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
}

export type ClinicMatch =
  | { readonly found: ClinicEntry }
  | { readonly missingName: string }
  | { readonly problem: string };

export class ClinicDirectory {
  private readonly byName = new Map<string, ClinicEntry[]>();
  private readonly byId = new Map<string, ClinicEntry>();
  private readonly byIdentifier = new Map<string, ClinicEntry[]>();

  constructor(clinics: readonly Organization[]) {
    for (const clinic of clinics) {
      if (!clinic.id) continue;
      const entry: ClinicEntry = { id: clinic.id, name: clinic.name ?? clinic.id, active: clinic.active !== false };
      this.byId.set(clinic.id, entry);
      const nameKey = clinicNameKey(entry.name);
      this.byName.set(nameKey, [...(this.byName.get(nameKey) ?? []), entry]);
      for (const identifier of clinic.identifier ?? []) {
        if (!identifier.system || !identifier.value) continue;
        const key = `${identifier.system}|${identifier.value}`;
        this.byIdentifier.set(key, [...(this.byIdentifier.get(key) ?? []), entry]);
      }
    }
  }

  static async load(ctx: EngineContext): Promise<ClinicDirectory> {
    return new ClinicDirectory(await withRetries(() => searchAll(ctx.client, 'Organization', {}, 'read the clinics', ctx.pageSize)));
  }

  resolve(reference: ClinicReference): ClinicMatch {
    switch (reference.kind) {
      case 'id': {
        const found = this.byId.get(reference.id);
        return found ? { found } : { problem: 'names an Organization/<id> that is not a clinic of this project.' };
      }
      case 'identifier': {
        const matches = this.byIdentifier.get(`${reference.system}|${reference.value}`) ?? [];
        if (matches.length === 1 && matches[0]) return { found: matches[0] };
        return { problem: matches.length ? 'names a clinic identifier that two clinics have: use Organization/<id>.' : 'names a clinic identifier that no clinic has.' };
      }
      case 'name': {
        const matches = this.byName.get(clinicNameKey(reference.name)) ?? [];
        if (matches.length === 1 && matches[0]) return { found: matches[0] };
        if (matches.length > 1) return { problem: 'names a clinic whose name two clinics share: rename one of them, or use Organization/<id> or an identifier.' };
        return { missingName: reference.name.trim().replace(/\s+/g, ' ') };
      }
    }
  }

  /** A clinic this plan will create (option "create missing clinics"), known by name from now on. */
  planned(name: string): ClinicEntry {
    const key = clinicNameKey(name);
    const existing = this.byName.get(key)?.[0];
    if (existing) return existing;
    const entry: ClinicEntry = { id: `new:${key}`, name, active: true };
    this.byName.set(key, [entry]);
    return entry;
  }
}

export function isPlannedClinic(clinic: ClinicEntry): boolean {
  return clinic.id.startsWith('new:');
}
