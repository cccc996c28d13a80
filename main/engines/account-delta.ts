import type { Reference } from '@medplum/fhirtypes';

/** A change to a patient's account list, as references ("Organization/1", "Consent/2", ...). */
export interface AccountDelta {
  readonly add: readonly string[];
  readonly remove: readonly string[];
}

/** The list with the delta applied: order kept, additions at the end, no repeats. */
export function applyDelta(accounts: readonly Reference[], delta: AccountDelta): Reference[] {
  const result: Reference[] = [];
  for (const account of accounts) {
    const ref = account.reference;
    if (ref && !delta.remove.includes(ref) && !result.some((r) => r.reference === ref)) {
      result.push({ reference: ref });
    }
  }
  for (const ref of delta.add) {
    if (!delta.remove.includes(ref) && !result.some((r) => r.reference === ref)) {
      result.push({ reference: ref });
    }
  }
  return result;
}

/** What turned `before` into `after`. */
export function diffAccounts(before: readonly Reference[], after: readonly Reference[]): AccountDelta {
  const b = refs(before);
  const a = refs(after);
  return { add: a.filter((r) => !b.includes(r)), remove: b.filter((r) => !a.includes(r)) };
}

export function isEmptyDelta(delta: AccountDelta): boolean {
  return delta.add.length === 0 && delta.remove.length === 0;
}

/** Same accounts, order aside. */
export function sameAccounts(a: readonly Reference[], b: readonly Reference[]): boolean {
  return isEmptyDelta(diffAccounts(a, b));
}

function refs(list: readonly Reference[]): string[] {
  return [...new Set(list.map((r) => r.reference).filter((r): r is string => !!r))];
}

/** Every reference of every list once, first-seen order. */
export function unionAccounts(...lists: readonly (readonly Reference[])[]): Reference[] {
  return refs(lists.flat()).map((reference) => ({ reference }));
}

/**
 * `meta` carrying exactly these accounts. An empty list drops both fields: a project admin's write
 * whose meta has no accounts leaves the resource with none (an empty array is not valid FHIR).
 */
export function withAccountsMeta<M extends { accounts?: Reference[]; account?: Reference }>(meta: M | undefined, accounts: readonly Reference[]): M {
  const { accounts: _oldList, account: _oldFirst, ...rest } = meta ?? ({} as M);
  const list = accounts.map((a) => ({ reference: a.reference }));
  return (list.length ? { ...rest, accounts: list, account: list[0] } : rest) as M;
}
