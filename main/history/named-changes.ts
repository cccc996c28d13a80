/** Puts names on the references of raw changes. */
import type { FieldChange } from '../../preload/api/schemas/history';
import type { NameResolver } from './names';
import type { RawFieldChange } from './version-diff';

export async function nameChanges(names: NameResolver, changes: readonly RawFieldChange[]): Promise<FieldChange[]> {
  return Promise.all(
    changes.map(async (change) => ({
      field: change.field,
      added: await Promise.all(change.added.map((r) => (change.field === 'identifiers' ? { reference: r, display: r } : names.name(r)))),
      removed: await Promise.all(change.removed.map((r) => (change.field === 'identifiers' ? { reference: r, display: r } : names.name(r)))),
      ...(change.before !== undefined ? { before: change.before } : {}),
      ...(change.after !== undefined ? { after: change.after } : {}),
    }))
  );
}
