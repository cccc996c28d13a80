/** What an undo will write, in words, from main's field changes (names, never values of a record's health data). */
import type { FieldChange } from '../../../preload/api/schemas/history';
import { listNames } from '../people/sentences';

const FIELD_LABELS: Record<FieldChange['field'], string> = {
  clinics: 'Clinics',
  consent: 'Consent',
  'assigned-clinicians': 'Assigned clinicians',
  'base-policy': 'Base access policy',
  label: 'Label',
  active: 'Sign-in active',
  name: 'Name',
  identifiers: 'Identifiers',
  membership: 'Membership',
};

function value(text: string | null | undefined): string {
  return text === null || text === undefined || text === '' ? 'none' : `“${text}”`;
}

/** "Clinics: adds Uptown Clinic; removes Riverside", "Label: “Uptown” → none". */
export function describeFieldChange(change: FieldChange): string {
  const parts = [
    change.added.length > 0 ? `adds ${listNames(change.added.map((item) => item.display))}` : null,
    change.removed.length > 0 ? `removes ${listNames(change.removed.map((item) => item.display))}` : null,
    change.before !== undefined || change.after !== undefined ? `${value(change.before)} → ${value(change.after)}` : null,
  ].filter(Boolean);
  return `${FIELD_LABELS[change.field]}: ${parts.join('; ') || 'no difference'}`;
}
