/** What an undo will write, in words, from main's field changes (names, never values of a record's health data). */
import type { FieldChange } from '../../../preload/api/schemas/history';
import { listNames, possessive } from '../people/sentences';

const FIELD_LABELS: Record<FieldChange['field'], string> = {
  clinics: 'clinics',
  consent: 'consent',
  'assigned-clinicians': 'assigned clinicians',
  'base-policy': 'base access policy',
  label: 'sign-in label',
  active: 'sign-in active',
  name: 'name',
  identifiers: 'identifiers',
  membership: 'sign-in',
};

function value(text: string | null | undefined): string {
  return text === null || text === undefined || text === '' ? 'none' : `“${text}”`;
}

/** "Dana Lee's clinics: adds Uptown Clinic; removes Riverside", "Dana Lee's sign-in label: “Uptown” → none". */
export function describeFieldChange(owner: string, change: FieldChange): string {
  const parts = [
    change.added.length > 0 ? `adds ${listNames(change.added.map((item) => item.display))}` : null,
    change.removed.length > 0 ? `removes ${listNames(change.removed.map((item) => item.display))}` : null,
    change.before !== undefined || change.after !== undefined ? `${value(change.before)} → ${value(change.after)}` : null,
  ].filter(Boolean);
  return `${possessive(owner)} ${FIELD_LABELS[change.field]}: ${parts.join('; ') || 'no difference'}`;
}
