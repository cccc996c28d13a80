/** A timeline line or trail entry in words ("Dec 1, 09:03 · Ann Admin added Uptown Clinic"). */
import type { FieldChange, NamedReference } from '../../preload/api/schemas/history';

const TIME = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export function formatWhen(time: string): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? time : TIME.format(date);
}

function names(refs: readonly NamedReference[]): string {
  const all = refs.map((r) => r.display);
  return all.length <= 1 ? (all[0] ?? '') : `${all.slice(0, -1).join(', ')} and ${all[all.length - 1]}`;
}

function phrases(change: FieldChange): string[] {
  const out: string[] = [];
  switch (change.field) {
    case 'clinics':
      if (change.added.length) out.push(`added ${names(change.added)}`);
      if (change.removed.length) out.push(`removed ${names(change.removed)}`);
      break;
    case 'consent':
      if (change.added.length) out.push('recorded consent');
      if (change.removed.length) out.push('revoked consent');
      break;
    case 'assigned-clinicians':
      if (change.added.length) out.push(`assigned ${names(change.added)}`);
      if (change.removed.length) out.push(`unassigned ${names(change.removed)}`);
      break;
    case 'identifiers':
      if (change.added.length) out.push(`added the identifier ${change.added.map((r) => r.display).join(', ')}`);
      if (change.removed.length) out.push(`removed the identifier ${change.removed.map((r) => r.display).join(', ')}`);
      break;
    case 'base-policy':
      out.push(change.after ? 'set the base access policy' : 'removed the base access policy (this sign-in may then see the whole project)');
      break;
    case 'label':
      out.push(change.after ? `labelled the sign-in “${change.after}”` : 'removed the sign-in’s label');
      break;
    case 'active':
      out.push(change.after === 'false' ? 'switched it off' : change.before === null ? 'made it active' : 'switched it on again');
      break;
    case 'name':
      out.push(change.before === null ? `created it as “${change.after ?? ''}”` : `renamed it “${change.after ?? ''}”`);
      break;
    case 'membership':
      out.push(change.after ? 'gave a sign-in' : 'removed a sign-in');
      break;
  }
  return out;
}

export function describeChanges(changes: readonly FieldChange[]): string {
  const all = changes.flatMap(phrases);
  if (!all.length) return 'changed nothing that affects access';
  return all.length === 1 ? (all[0] as string) : `${all.slice(0, -1).join(', ')} and ${all[all.length - 1]}`;
}

export function timelineSentence(time: string, author: NamedReference, changes: readonly FieldChange[]): string {
  return `${formatWhen(time)} · ${author.display} ${describeChanges(changes)}`;
}
