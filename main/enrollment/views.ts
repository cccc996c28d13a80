/** Turns FHIR resources into what the screens show; clinic names come from one clinic list. */
import { formatHumanName } from '@medplum/core';
import type { HumanName, Organization, Patient, Practitioner } from '@medplum/fhirtypes';
import type { ClinicTag, ClinicView, ClinicianRow, PatientRow } from '../../preload/api/schemas/enrollment';
import { NPI_SYSTEM } from '../engines/clinicians';
import { clinicsOfPatient, hasConsent } from '../engines/patients';
import type { RosterClinician } from '../engines/rosters';

export type ClinicNames = ReadonlyMap<string, string>;

export function nameOf(names: readonly HumanName[] | undefined, fallback: string): string {
  const first = names?.[0];
  const formatted = first ? formatHumanName(first) : '';
  return formatted || fallback;
}

export function clinicView(clinic: Organization & { id: string }): ClinicView {
  return {
    id: clinic.id,
    name: clinic.name ?? 'Unnamed clinic',
    active: clinic.active !== false,
    identifiers: (clinic.identifier ?? [])
      .filter((identifier) => identifier.system && identifier.value)
      .map((identifier) => ({ system: identifier.system as string, value: identifier.value as string })),
  };
}

/** Clinic references ("Organization/<id>") as tags, sorted by name; unknown ones keep their id. */
export function clinicTags(references: readonly string[], names: ClinicNames): ClinicTag[] {
  return references
    .filter((reference) => reference.startsWith('Organization/'))
    .map((reference) => {
      const id = reference.slice('Organization/'.length);
      return { id, name: names.get(id) ?? `Clinic ${id}` };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function patientRow(patient: Patient & { id: string }, names: ClinicNames, mrnSystem: string, consent?: string): PatientRow {
  return {
    id: patient.id,
    name: nameOf(patient.name, 'Unnamed patient'),
    mrn: patient.identifier?.find((identifier) => identifier.system === mrnSystem)?.value ?? null,
    birthDate: patient.birthDate ?? null,
    gender: patient.gender ?? null,
    clinics: clinicTags(clinicsOfPatient(patient), names),
    consented: consent ? hasConsent(patient, { reference: consent }) : null,
  };
}

export function practitionerEmail(practitioner: Practitioner): string | null {
  return practitioner.telecom?.find((contact) => contact.system === 'email')?.value ?? null;
}

export function clinicianRow(clinician: RosterClinician, names: ClinicNames): ClinicianRow {
  const { practitioner } = clinician;
  return {
    practitionerId: practitioner.id,
    name: nameOf(practitioner.name, 'Unnamed clinician'),
    npi: clinician.npi ?? practitioner.identifier?.find((identifier) => identifier.system === NPI_SYSTEM)?.value ?? null,
    email: practitionerEmail(practitioner),
    clinics: clinicTags(clinician.clinics, names),
  };
}
