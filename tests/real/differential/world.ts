/**
 * The small world the differential scenarios share: clinics, patients with a record each, and
 * clinicians, made the same way on each side, so answers can be compared by name.
 */
import type { MedplumClient, WithId } from '@medplum/core';
import type { Bundle, Observation, Organization, Patient, ProjectMembership, Reference } from '@medplum/fhirtypes';
import type { TestClinician } from '../../support/local-server';
import { createClinic, createClinician, createPatientInClinics, msoPolicyReference } from '../../support/local-server';
import type { Side } from './compare';
import { namesIn, send } from './compare';

export interface World {
  readonly side: Side;
  readonly clinics: Record<string, WithId<Organization>>;
  readonly patients: Record<string, WithId<Patient>>;
  readonly clinicians: Record<string, TestClinician>;
  /** Clinic names of references (`Organization/<id>`), sorted; unknown ones as "?". */
  clinicNames(references: readonly (Reference | undefined)[] | undefined): string[];
}

export interface WorldPlan {
  /** Clinic names. */
  readonly clinics: readonly string[];
  /** Patient family name → the clinics it belongs to. Each patient gets one Observation. */
  readonly patients: Readonly<Record<string, readonly string[]>>;
  /** Clinician key → their clinics (one MSO access entry each). */
  readonly clinicians: Readonly<Record<string, readonly string[]>>;
}

export async function buildWorld(side: Side, plan: WorldPlan): Promise<World> {
  const { admin, backend } = side;
  const clinics: Record<string, WithId<Organization>> = {};
  for (const name of plan.clinics) {
    clinics[name] = await createClinic(admin, name);
  }
  const pick = (names: readonly string[]): WithId<Organization>[] => names.map((n) => clinics[n] as WithId<Organization>);
  const patients: Record<string, WithId<Patient>> = {};
  for (const [family, inClinics] of Object.entries(plan.patients)) {
    const patient = await createPatientInClinics(admin, pick(inClinics), family);
    patients[family] = patient;
    // No meta: the record inherits the patient's accounts (MedplumClient sends X-Medplum: extended).
    await admin.createResource<Observation>({
      resourceType: 'Observation',
      status: 'final',
      code: { text: family },
      subject: { reference: `Patient/${patient.id}` },
    });
  }
  const clinicians: Record<string, TestClinician> = {};
  for (const [key, inClinics] of Object.entries(plan.clinicians)) {
    clinicians[key] = await createClinician(backend, admin, pick(inClinics));
  }
  const byId = new Map(Object.values(clinics).map((c) => [`Organization/${c.id}`, c.name ?? '']));
  return {
    side,
    clinics,
    patients,
    clinicians,
    clinicNames: (references) => (references ?? []).map((r) => byId.get(r?.reference ?? '') ?? '?').sort(),
  };
}

/** Family names of the patients a client finds (one page of up to 1000, never cached). */
export async function visiblePatients(client: MedplumClient, headers: Record<string, string> = {}): Promise<string[] | number> {
  const found = await send(client, 'GET', 'fhir/R4/Patient?_count=1000', undefined, headers);
  return found.status === 200 ? namesIn(found.body as Bundle) : found.status;
}

/** Observation names ("Observation:<patient family>") a client finds. */
export async function visibleObservations(client: MedplumClient, headers: Record<string, string> = {}): Promise<string[] | number> {
  const found = await send(client, 'GET', 'fhir/R4/Observation?_count=1000', undefined, headers);
  return found.status === 200 ? namesIn(found.body as Bundle) : found.status;
}

/** Replaces a membership's clinics with a FHIR PUT (the If-Match-safe way), keeping the base policy. */
export async function setClinicsOf(world: World, clinicianKey: string, clinicNames: readonly string[]): Promise<void> {
  const { admin, backend } = world.side;
  const clinician = world.clinicians[clinicianKey] as TestClinician;
  const current = await admin.readResource('ProjectMembership', clinician.membership.id, { cache: 'no-cache' } as RequestInit);
  const policy = msoPolicyReference(backend);
  await admin.updateResource<ProjectMembership>({
    ...current,
    accessPolicy: policy,
    access: clinicNames.map((name) => ({
      policy,
      parameter: [{ name: 'organization', valueReference: { reference: `Organization/${world.clinics[name]?.id}` } }],
    })),
  });
}
