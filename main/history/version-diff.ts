/** The access changes between two versions of a record, as references and plain values. */
import type { Organization, Patient, ProjectMembership } from '@medplum/fhirtypes';
import type { FieldChange } from '../../preload/api/schemas/history';
import { clinicStateOf, listDelta, membershipAccessOf, patientAccessOf } from './access-state';

/** A FieldChange before names are put on its references. */
export interface RawFieldChange {
  readonly field: FieldChange['field'];
  readonly added: string[];
  readonly removed: string[];
  readonly before?: string | null;
  readonly after?: string | null;
}

function listChange(field: RawFieldChange['field'], before: readonly string[], after: readonly string[]): RawFieldChange[] {
  const { added, removed } = listDelta(before, after);
  return added.length || removed.length ? [{ field, added, removed }] : [];
}

function valueChange(field: RawFieldChange['field'], before: string | null, after: string | null): RawFieldChange[] {
  return before === after ? [] : [{ field, added: [], removed: [], before, after }];
}

/** `previous` undefined: the first version (everything it holds counts as added). */
export function diffPatient(previous: Patient | undefined, next: Patient): RawFieldChange[] {
  const a = patientAccessOf(previous);
  const b = patientAccessOf(next);
  return [
    ...listChange('clinics', a.clinics, b.clinics),
    ...listChange('consent', a.consent, b.consent),
    ...listChange('assigned-clinicians', a.assignedClinicians, b.assignedClinicians),
  ];
}

export function diffMembership(previous: ProjectMembership | undefined, next: ProjectMembership | undefined): RawFieldChange[] {
  if (!next) {
    // Deleted (strict isolation removes a clinic's membership): its clinics are gone with it.
    return [...listChange('clinics', membershipAccessOf(previous).clinics, []), { field: 'membership', added: [], removed: [], before: 'present', after: null }];
  }
  const a = membershipAccessOf(previous);
  const b = membershipAccessOf(next);
  return [
    ...(previous ? [] : [{ field: 'membership' as const, added: [], removed: [], before: null, after: 'present' }]),
    ...listChange('clinics', a.clinics, b.clinics),
    ...valueChange('base-policy', previous ? a.basePolicy : null, b.basePolicy),
    ...valueChange('label', previous ? a.label : null, b.label),
    ...valueChange('active', previous ? String(a.active) : null, String(b.active)),
  ];
}

export function diffClinic(previous: Organization | undefined, next: Organization): RawFieldChange[] {
  const a = clinicStateOf(previous);
  const b = clinicStateOf(next);
  return [
    ...valueChange('name', a.name, b.name),
    ...valueChange('active', previous ? String(a.active) : null, String(b.active)),
    ...listChange('identifiers', a.identifiers, b.identifiers),
  ];
}
