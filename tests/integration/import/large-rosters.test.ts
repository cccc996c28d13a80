/**
 * Issue 10's "done when", at size, on the local server and (real tier) on a real Medplum: a
 * generated 10,000-row patient roster and a 500-row practitioner roster over four clinics import;
 * the server then holds exactly what the files say (every patient once with exactly its clinics in
 * meta.accounts, every clinician's membership granting exactly its clinics under the MSO policy);
 * clinicians signed in to each clinic see exactly that clinic's patients; and the same files
 * again write nothing, counted at the server.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MedplumClient, WithId } from '@medplum/core';
import type { Organization } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMemberships, searchAll } from '../../../main/engines/all-pages';
import type { ImportOptions } from '../../../main/import/plan/import-plan';
import { runImport } from '../../../main/import/run-import';
import { type TestBackend, startTestBackend } from '../../support/backend';
import { engineContext } from '../../support/engine';
import { type GeneratedPerson, PATIENT_HEADER, PRACTITIONER_HEADER, patientRow, practitionerRow, writeGeneratedRoster } from '../../support/generated-roster';
import { createClinic, signIn, signInAsAdmin } from '../../support/local-server';

const PATIENTS = 10_000;
const PRACTITIONERS = 500;
const TODAY = '2026-12-01';
const OPTIONS: ImportOptions = { createMissingClinics: true, updateDemographics: false, sendInvites: false, strict: false };
// A new object each time: MedplumClient writes into the options it is given.
const fresh = () => ({ cache: 'no-cache' }) as RequestInit;
const tag = Math.random().toString(36).slice(2, 7);
const CLINICS = ['A', 'B', 'C', 'D'].map((letter) => `Large ${letter} ${tag}`);
const dir = mkdtempSync(path.join(tmpdir(), 'mso-large-'));
const patientsFile = path.join(dir, 'patients.csv');
const practitionersFile = path.join(dir, 'practitioners.csv');
const patientRows = Array.from({ length: PATIENTS }, (_, index) => patientRow(index, CLINICS, `LG${tag}`));
const practitionerRows = Array.from({ length: PRACTITIONERS }, (_, index) => practitionerRow(index, CLINICS, `lg${tag}`));

let backend: TestBackend;
let admin: MedplumClient;
const clinicIds = new Map<string, string>();

beforeAll(async () => {
  backend = await startTestBackend();
  // Out of the quota's way: at Medplum's default 50,000 points a minute 10,000 creates take 20 minutes.
  await backend.setFhirQuota(50_000_000);
  admin = await signInAsAdmin(backend);
  await writeGeneratedRoster(patientsFile, PATIENT_HEADER, PATIENTS, (index) => patientRows[index] as GeneratedPerson);
  await writeGeneratedRoster(practitionersFile, PRACTITIONER_HEADER, PRACTITIONERS, (index) => practitionerRows[index] as GeneratedPerson);
});
afterAll(async () => {
  await backend.stop();
});

function journal(name: string): string {
  return path.join(dir, `${name}.journal`);
}

/** The file's clinics of each person, as sorted clinic references. */
function expectedOf(rows: readonly GeneratedPerson[]): Map<string, string[]> {
  return new Map(rows.map((row) => [row.key, row.clinics.map((name) => `Organization/${clinicIds.get(name)}`).sort()]));
}

async function writtenSince(since: string): Promise<number> {
  let count = 0;
  for (const type of ['Patient', 'Organization', 'Practitioner', 'ProjectMembership', 'Consent'] as const) {
    const bundle = await admin.search(type, { _lastUpdated: `gt${since}`, _summary: 'count' }, fresh());
    count += bundle.total ?? 0;
  }
  return count;
}

describe(`importing a ${PATIENTS.toLocaleString('en-US')}-row patient roster and a ${PRACTITIONERS}-row practitioner roster`, () => {
  it('the server holds exactly what the files say', async () => {
    // Two clinics exist already, two are created by the import.
    for (const name of CLINICS.slice(0, 2)) clinicIds.set(name, (await createClinic(admin, name)).id);
    const ctx = engineContext(backend, admin);

    const patients = await runImport(ctx, { filePath: patientsFile, options: OPTIONS, journalPath: journal('patients'), today: TODAY });
    expect(patients.plan.totals).toMatchObject({ rows: PATIENTS, create: PATIENTS, error: 0 });
    expect([...patients.plan.clinicsToCreate].sort()).toEqual(CLINICS.slice(2).sort());
    expect(patients.applied).toMatchObject({ created: PATIENTS, changed: 0, failed: [], clinicsCreated: 2, cancelled: false });
    const clinics = (await admin.searchResources('Organization', { _count: '100' }, fresh())) as WithId<Organization>[];
    for (const name of CLINICS) {
      const found = clinics.filter((clinic) => clinic.name === name);
      expect(found, name).toHaveLength(1);
      clinicIds.set(name, (found[0] as WithId<Organization>).id);
    }

    const staff = await runImport(ctx, { filePath: practitionersFile, options: OPTIONS, journalPath: journal('practitioners'), today: TODAY });
    expect(staff.plan.totals).toMatchObject({ rows: PRACTITIONERS, error: 0 });
    expect(staff.applied).toMatchObject({ created: PRACTITIONERS, changed: 0, failed: [], clinicsCreated: 0, cancelled: false });

    const stored = await searchAll(admin, 'Patient', {}, 'read the patients');
    const held = new Map<string, string[]>();
    for (const patient of stored) {
      const mrn = patient.identifier?.find((identifier) => identifier.system === backend.mrnSystem)?.value as string;
      expect(held.has(mrn), `${mrn} exists twice`).toBe(false);
      held.set(mrn, (patient.meta?.accounts ?? []).map((account) => account.reference as string).sort());
    }
    expect(held).toEqual(expectedOf(patientRows));

    const practitioners = await searchAll(admin, 'Practitioner', {}, 'read the clinicians');
    const emailOf = new Map(practitioners.map((practitioner) => [`Practitioner/${practitioner.id}`, practitioner.telecom?.find((telecom) => telecom.system === 'email')?.value?.toLowerCase()]));
    const access = new Map<string, string[]>();
    for (const membership of await allMemberships(admin)) {
      const email = emailOf.get(membership.profile?.reference ?? '');
      // The project's administrator is not on the roster.
      if (!email || membership.admin) continue;
      expect(membership.accessPolicy?.reference, email).toBe(`AccessPolicy/${backend.seed.msoPolicyId}`);
      access.set(email, [...(access.get(email) ?? []), ...(membership.access ?? []).map((entry) => entry.parameter?.[0]?.valueReference?.reference as string)].sort());
    }
    expect(access).toEqual(expectedOf(practitionerRows));
  }, 900_000);

  it('clinicians signed in to each clinic see exactly its patients', async () => {
    const expected = expectedOf(patientRows);
    // One clinician of each single clinic (rows 1–4) and one of two clinics (row 0).
    for (const row of practitionerRows.slice(0, CLINICS.length + 1)) {
      const password = `pw-${tag}-${row.key.length}-${Math.random().toString(36).slice(2)}`;
      expect(await backend.setUserPassword(row.key, password)).toBe(true);
      const clinician = await signIn(backend, row.key, password, backend.projectId);
      const mine = new Set(row.clinics.map((name) => `Organization/${clinicIds.get(name)}`));
      const visible = (await searchAll(clinician, 'Patient', {}, 'read the patients')).map((patient) => patient.identifier?.[0]?.value as string).sort();
      const shouldSee = [...expected].filter(([, clinics]) => clinics.some((clinic) => mine.has(clinic))).map(([mrn]) => mrn).sort();
      expect(shouldSee.length).toBeGreaterThan(1_000);
      expect(visible, row.key).toEqual(shouldSee);
    }
  }, 300_000);

  it('the same files again make no writes, counted at the server', async () => {
    const ctx = engineContext(backend, admin);
    // _lastUpdated has a resolution of milliseconds; a pause keeps the import's own writes out of the count.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const since = new Date().toISOString();
    const patients = await runImport(ctx, { filePath: patientsFile, options: OPTIONS, journalPath: journal('patients-again'), today: TODAY });
    expect(patients.plan.totals).toMatchObject({ rows: PATIENTS, create: 0, enroll: 0, unenroll: 0, unchanged: PATIENTS });
    expect(patients.applied).toMatchObject({ created: 0, changed: 0, failed: [], clinicsCreated: 0 });
    const staff = await runImport(ctx, { filePath: practitionersFile, options: OPTIONS, journalPath: journal('practitioners-again'), today: TODAY });
    expect(staff.plan.totals).toMatchObject({ rows: PRACTITIONERS, unchanged: PRACTITIONERS });
    expect(staff.applied).toMatchObject({ created: 0, changed: 0, failed: [] });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await writtenSince(since)).toBe(0);
  }, 300_000);
});
