/**
 * What undoing one change means: the record, its access list before and after the change, and
 * the list as it is now. Exact undo puts `before` back and is allowed only while the list is still
 * `after`; otherwise only the inverse of just that change is offered (docs/history.md).
 */
import { listDelta, sameSet } from './access-state';

export interface UndoPlan {
  /** Patient/<id> (accounts) or Practitioner/<id> (clinics). */
  readonly subject: string;
  readonly field: 'accounts' | 'clinics';
  readonly before: readonly string[];
  readonly after: readonly string[];
  readonly current: readonly string[];
  /** When the change was made: later versions are what conflicts. */
  readonly time: string;
  /** The trail entry this undoes, for the undo's own entry. */
  readonly undoes?: string;
}

export interface UndoDelta {
  readonly add: string[];
  readonly remove: string[];
}

/** True when the record's list is no longer what the change left. */
export function hasConflict(plan: UndoPlan): boolean {
  return !sameSet(plan.current, plan.after);
}

/** The exact undo: applied to the current list (still `after`), it gives `before`. */
export function exactDelta(plan: UndoPlan): UndoDelta {
  const { added, removed } = listDelta(plan.before, plan.after);
  return { add: removed, remove: added };
}

/** The inverse of just this change, on the list as it is now: only what still changes something. */
export function inverseDelta(plan: UndoPlan): UndoDelta {
  const { added, removed } = listDelta(plan.before, plan.after);
  return { add: removed.filter((r) => !plan.current.includes(r)), remove: added.filter((r) => plan.current.includes(r)) };
}

export function isEmpty(delta: UndoDelta): boolean {
  return delta.add.length === 0 && delta.remove.length === 0;
}
