import type { WithId } from '@medplum/core';
import { createReference } from '@medplum/core';
import type {
  AccessPolicy,
  Encounter,
  Observation,
  Organization,
  Patient,
  Practitioner,
  Project,
  ProjectMembership,
  Reference,
  User,
} from '@medplum/fhirtypes';
import type { AuthService } from './auth-service';
import { CLINIC_NAMES, FAMILY_NAMES, GIVEN_NAMES } from './demo-names';
import type { LocalMemoryStore } from './memory-store';
import { msoAccessPolicy } from './mso-policy';
import { mulberry32 } from './prng';
import type { AccountsRepository } from './repo/accounts-repository';

export type SeedKind = 'demo' | 'empty';

export const DEFAULT_ADMIN_EMAIL = 'admin@sandbox.local';
export const MRN_SYSTEM = 'https://sandbox.local/mrn';
export const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';

/** A made-up NPI with a valid check digit (Luhn over 80840 + the first nine digits). */
export function demoNpi(index: number): string {
  const base = String(190_000_000 + index * 7919).padStart(9, '0');
  const digits = `80840${base}`;
  let sum = 0;
  for (let position = 0; position < digits.length; position++) {
    let digit = Number(digits[digits.length - 1 - position]);
    if (position % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return `${base}${(10 - (sum % 10)) % 10}`;
}
export const CLINICIAN_EMAIL_DOMAIN = 'clinic.sandbox.local';

export interface SeededClinician {
  readonly email: string;
  readonly practitionerId: string;
  readonly membershipId: string;
  readonly clinicIds: readonly string[];
}

/** What a seed made: ids a caller (CLI, tests) needs. Passwords are set separately, never stored. */
export interface SeedSummary {
  readonly projectId: string;
  readonly adminEmail: string;
  readonly adminUserId: string;
  readonly adminMembershipId: string;
  readonly msoPolicyId: string;
  readonly clinics: readonly { readonly id: string; readonly name: string }[];
  readonly clinicians: readonly SeededClinician[];
  readonly patientCount: number;
}

/** The Project itself comes first: the accounts layer needs its id. */
export async function createProject(
  store: LocalMemoryStore,
  name: string,
  features: Project['features']
): Promise<WithId<Project>> {
  const id = store.generateId();
  return store.createResource<Project>({
    resourceType: 'Project',
    id,
    meta: { project: id },
    name,
    strictMode: true,
    features,
  }, { assignedId: true });
}

/** Project admin, MSO policy and, for `demo`, clinics, clinicians and patients. */
export async function seedProject(
  store: LocalMemoryStore,
  accounts: AccountsRepository,
  project: WithId<Project>,
  kind: SeedKind,
  adminEmail = DEFAULT_ADMIN_EMAIL,
  patientsPerClinic = 100
): Promise<SeedSummary> {
  const admin = await createAdmin(store, accounts, project, adminEmail);
  const policy = await accounts.createResource<AccessPolicy>({ ...msoAccessPolicy(), meta: { project: project.id } });
  const summary = {
    projectId: project.id,
    adminEmail,
    adminUserId: admin.user.id,
    adminMembershipId: admin.membership.id,
    msoPolicyId: policy.id,
  };
  if (kind === 'empty') {
    return { ...summary, clinics: [], clinicians: [], patientCount: 0 };
  }
  const random = mulberry32(20240601);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

  const clinics: WithId<Organization>[] = [];
  for (const name of CLINIC_NAMES) {
    clinics.push(
      await accounts.createResource<Organization>({ resourceType: 'Organization', name, active: true, meta: { project: project.id } })
    );
  }

  const clinicians: SeededClinician[] = [];
  for (let i = 0; i < 12; i++) {
    // Four per clinic; every fourth also works at the next clinic.
    const home = clinics[i % clinics.length] as WithId<Organization>;
    const enrolled = i % 4 === 3 ? [home, clinics[(i + 1) % clinics.length] as WithId<Organization>] : [home];
    const given = GIVEN_NAMES[(i * 7) % GIVEN_NAMES.length] as string;
    const family = FAMILY_NAMES[(i * 11) % FAMILY_NAMES.length] as string;
    const email = `${given}.${family}@${CLINICIAN_EMAIL_DOMAIN}`.toLowerCase();
    clinicians.push(await createClinician(store, accounts, project, policy, { given, family, email, npi: demoNpi(clinicians.length) }, enrolled));
  }

  let patientCount = 0;
  for (const [clinicIndex, clinic] of clinics.entries()) {
    for (let n = 0; n < patientsPerClinic; n++) {
      // About one patient in ten is also enrolled at a second clinic.
      const second = n % 10 === 9 ? clinics[(clinicIndex + 1) % clinics.length] : undefined;
      const accountsList: Reference[] = [clinic, ...(second ? [second] : [])].map((c) => refTo(c));
      await createPatientRecord(accounts, project, accountsList, {
        given: pick(GIVEN_NAMES),
        family: pick(FAMILY_NAMES),
        mrn: `MRN-${clinicIndex + 1}${String(n + 1).padStart(5, '0')}`,
        birthDate: `${1940 + Math.floor(random() * 80)}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}`,
        gender: random() < 0.5 ? 'female' : 'male',
        heartRate: 55 + Math.floor(random() * 50),
        systolic: 100 + Math.floor(random() * 50),
      });
      patientCount++;
    }
  }
  return { ...summary, clinics: clinics.map((c) => ({ id: c.id, name: c.name as string })), clinicians, patientCount };
}

/**
 * Sets (on every start) the demo passwords: the admin's and the one shared by demo clinicians.
 * Only hashes are kept, so resetting is how a persisted sandbox can still print a working sign-in.
 */
export async function resetDemoPasswords(
  store: LocalMemoryStore,
  auth: AuthService,
  adminEmail: string,
  adminPassword: string,
  clinicianPassword: string
): Promise<void> {
  for (const user of await store.searchResources<User>({ resourceType: 'User' })) {
    if (user.email === adminEmail) {
      auth.setPassword(user.id, adminPassword);
    } else if (user.email?.endsWith(`@${CLINICIAN_EMAIL_DOMAIN}`)) {
      auth.setPassword(user.id, clinicianPassword);
    }
  }
}

async function createAdmin(
  store: LocalMemoryStore,
  accounts: AccountsRepository,
  project: WithId<Project>,
  email: string
): Promise<{ user: WithId<User>; membership: WithId<ProjectMembership> }> {
  const user = await store.createResource<User>({ resourceType: 'User', firstName: 'Sandbox', lastName: 'Admin', email });
  const profile = await accounts.createResource<Practitioner>({
    resourceType: 'Practitioner',
    meta: { project: project.id },
    name: [{ given: ['Sandbox'], family: 'Admin' }],
    telecom: [{ system: 'email', use: 'work', value: email }],
  });
  const membership = await store.createResource<ProjectMembership>({
    resourceType: 'ProjectMembership',
    meta: { project: project.id },
    project: createReference(project),
    user: { reference: `User/${user.id}`, display: email },
    profile: createReference(profile),
    admin: true,
  });
  await store.updateResource<Project>({ ...project, owner: { reference: `User/${user.id}` } });
  return { user, membership };
}

async function createClinician(
  store: LocalMemoryStore,
  accounts: AccountsRepository,
  project: WithId<Project>,
  policy: WithId<AccessPolicy>,
  person: { given: string; family: string; email: string; npi: string },
  clinics: readonly WithId<Organization>[]
): Promise<SeededClinician> {
  // Project-scoped, as every invited clinician is: they sign in only with the projectId.
  const user = await store.createResource<User>({
    resourceType: 'User',
    meta: { project: project.id },
    firstName: person.given,
    lastName: person.family,
    email: person.email,
    project: createReference(project),
  });
  const practitioner = await accounts.createResource<Practitioner>({
    resourceType: 'Practitioner',
    meta: { project: project.id },
    name: [{ given: [person.given], family: person.family, prefix: ['Dr.'] }],
    identifier: [{ system: NPI_SYSTEM, value: person.npi }],
    telecom: [{ system: 'email', use: 'work', value: person.email }],
  });
  const membership = await store.createResource<ProjectMembership>({
    resourceType: 'ProjectMembership',
    meta: { project: project.id },
    project: createReference(project),
    user: { reference: `User/${user.id}`, display: person.email },
    profile: createReference(practitioner),
    accessPolicy: refTo(policy),
    access: clinics.map((clinic) => ({
      policy: refTo(policy),
      parameter: [{ name: 'organization', valueReference: refTo(clinic) }],
    })),
  });
  return {
    email: person.email,
    practitionerId: practitioner.id,
    membershipId: membership.id,
    clinicIds: clinics.map((c) => c.id),
  };
}

interface DemoPatient {
  given: string;
  family: string;
  mrn: string;
  birthDate: string;
  gender: 'female' | 'male';
  heartRate: number;
  systolic: number;
}

/** A patient and their records, all carrying the patient's accounts (so their compartments). */
async function createPatientRecord(
  accounts: AccountsRepository,
  project: WithId<Project>,
  clinicRefs: Reference[],
  p: DemoPatient
): Promise<void> {
  const meta = { project: project.id, accounts: clinicRefs, account: clinicRefs[0] };
  const patient = await accounts.createResource<Patient>({
    resourceType: 'Patient',
    meta,
    identifier: [{ system: MRN_SYSTEM, value: p.mrn }],
    name: [{ given: [p.given], family: p.family }],
    birthDate: p.birthDate,
    gender: p.gender,
  });
  const subject = { reference: `Patient/${patient.id}` };
  await accounts.createResource<Encounter>({
    resourceType: 'Encounter',
    meta,
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
    subject,
    serviceProvider: clinicRefs[0] as Reference<Organization> | undefined,
  });
  const vitals: [string, string, number, string][] = [
    ['8867-4', 'Heart rate', p.heartRate, '/min'],
    ['8480-6', 'Systolic blood pressure', p.systolic, 'mm[Hg]'],
  ];
  for (const [code, display, value, unit] of vitals) {
    await accounts.createResource<Observation>({
      resourceType: 'Observation',
      meta,
      status: 'final',
      category: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] },
      ],
      code: { coding: [{ system: 'http://loinc.org', code, display }], text: display },
      subject,
      valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
    });
  }
}

function refTo<T extends Organization | AccessPolicy>(resource: WithId<T>): Reference<T> {
  return { reference: `${resource.resourceType}/${resource.id}`, display: resource.name } as Reference<T>;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
