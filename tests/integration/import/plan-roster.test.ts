/**
 * The import's dry run against a server (the local one, and a real Medplum on the real tier):
 * what each row will do, decided from the server's current state, and nothing written.
 */
import { Readable } from 'node:stream';
import type { MedplumClient, WithId } from '@medplum/core';
import type { Organization, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportOptions } from '../../../main/import/plan/import-plan';
import { planRoster } from '../../../main/import/plan/plan-roster';
import { COST } from '../../../main/import/plan/quota-estimate';
import { type TestBackend, backendKind, startTestBackend } from '../../support/backend';
import { engineContext } from '../../support/engine';
import { createClinic, createClinician, signInAsAdmin } from '../../support/local-server';

let backend: TestBackend;
let admin: MedplumClient;
let north: WithId<Organization>;
let south: WithId<Organization>;
const TODAY = '2026-12-01';
const OPTIONS: ImportOptions = { createMissingClinics: false, updateDemographics: false, sendInvites: false, strict: false };
const tag = Math.random().toString(36).slice(2, 8);

beforeAll(async () => {
  backend = await startTestBackend({ kind: backendKind() });
  admin = await signInAsAdmin(backend);
  north = await createClinic(admin, `Plan North ${tag}`);
  south = await createClinic(admin, `Plan South ${tag}`);
});
afterAll(async () => {
  await backend.stop();
});

function csv(text: string): () => AsyncIterable<Uint8Array> {
  return () => Readable.from([Buffer.from(text)]);
}

function patient(mrn: string, clinics: readonly WithId<Organization>[], birthDate = '1990-01-02'): Promise<WithId<Patient>> {
  const accounts = clinics.map((clinic) => ({ reference: `Organization/${clinic.id}` }));
  return admin.createResource<Patient>({
    resourceType: 'Patient',
    ...(accounts.length ? { meta: { accounts, account: accounts[0] } } : {}),
    identifier: [{ system: backend.mrnSystem, value: mrn }],
    name: [{ given: ['Ann'], family: 'Lee' }],
    birthDate,
  });
}

/** Everything of these types written since `since`, as the server reports it. */
async function writtenSince(since: string): Promise<number> {
  let count = 0;
  for (const type of ['Patient', 'Organization', 'Practitioner', 'ProjectMembership', 'Consent'] as const) {
    const bundle = await admin.search(type, { _lastUpdated: `gt${since}`, _summary: 'count' }, { cache: 'no-cache' } as RequestInit);
    count += bundle.total ?? 0;
  }
  return count;
}

describe('the dry run of a patient roster', () => {
  it('says what each row will do, from the server as it is, and writes nothing', async () => {
    await patient(`EXIST-${tag}`, [north]);
    await patient(`SAME-${tag}`, [north]);
    await patient(`DIFF-${tag}`, [north], '1980-05-05');
    // A value with FHIR search syntax in it must find its own patient, not another.
    await patient(`A,1|${tag}`, [north]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const since = new Date().toISOString();
    const file = [
      'mrn,given_name,family_name,birth_date,clinics,action',
      `NEW-${tag},Bo,Ng,1991-02-03,Plan North ${tag},`,
      `EXIST-${tag},Ann,Lee,1990-01-02,plan south ${tag},enroll`,
      `EXIST-${tag},Ann,Lee,1990-01-02,Plan North ${tag},unenroll`,
      `SAME-${tag},Ann,Lee,1990-01-02,Plan North ${tag},`,
      `LOST-${tag},Cy,Park,1992-03-04,Nowhere ${tag},`,
      `GONE-${tag},Di,Ro,1993-04-05,Plan North ${tag},unenroll`,
      `DIFF-${tag},Ann,Lee,1990-01-02,Plan North ${tag},`,
      `"A,1|${tag}",Ann,Lee,1990-01-02,Organization/${south.id},`,
    ].join('\n');
    const plan = await planRoster(engineContext(backend, admin), { file: csv(file), options: OPTIONS, today: TODAY });

    expect(plan.blocked).toBe(false);
    expect(Object.fromEntries(plan.statusByLine)).toEqual({ 2: 'create', 3: 'enroll', 4: 'unenroll', 5: 'unchanged', 6: 'error', 7: 'unchanged', 8: 'unchanged', 9: 'enroll' });
    expect(plan.totals).toEqual({ rows: 8, create: 1, enroll: 2, unenroll: 1, unchanged: 3, error: 1, warning: 2 });
    expect(plan.issues.map((issue) => [issue.line, issue.severity, issue.message.split(':')[0]])).toEqual([
      [6, 'error', 'names a clinic that does not exist in this project. Check the name, or choose “create missing clinics”.'],
      [7, 'warning', 'unenrolls a patient who does not exist in the project'],
      [8, 'warning', 'differs from the patient on the server in birth_date; left as the server has it (choose “update demographics” to change it).'],
    ]);
    expect(plan.issues[0]).toMatchObject({ column: 'clinics', columnNumber: 5 });
    const existing = plan.people.find((person) => person.key.endsWith(`|EXIST-${tag}`));
    expect(existing).toMatchObject({ action: 'change', add: [south.id], remove: [north.id] });
    expect(plan.people.find((person) => person.key.endsWith(`|NEW-${tag}`))).toMatchObject({ action: 'create', add: [north.id] });
    expect(plan.people.find((person) => person.key.endsWith(`|A,1|${tag}`))).toMatchObject({ action: 'change', add: [south.id], remove: [] });
    expect(plan.estimate.points).toBe(COST.createPatient + 2 * COST.changePatient);
    expect(plan.estimate.minutes).toBeCloseTo(plan.estimate.points / plan.estimate.pointsPerMinute);
    expect(plan.lookups).toBeLessThanOrEqual(5);

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await writtenSince(since)).toBe(0);
  });

  it('plans the clinics it may create, and strict mode stops at the first error', async () => {
    const file = `mrn,given_name,family_name,birth_date,clinics\nNC-${tag},A,B,1990-01-02,Brand New ${tag}\nNC2-${tag},A,B,1990-01-02,brand  new ${tag};Plan North ${tag}\nBAD-${tag},A,B,1990-02-31,Plan North ${tag}\n`;
    const creating = await planRoster(engineContext(backend, admin), { file: csv(file), options: { ...OPTIONS, createMissingClinics: true }, today: TODAY });
    expect(creating.clinicsToCreate).toEqual([`Brand New ${tag}`]);
    expect(creating.totals).toMatchObject({ create: 2, error: 1 });
    expect(creating.estimate.points).toBe(COST.createClinic + 2 * COST.createPatient);
    const strict = await planRoster(engineContext(backend, admin), { file: csv(file), options: { ...OPTIONS, strict: true }, today: TODAY });
    expect(strict).toMatchObject({ blocked: true, people: [], clinicsToCreate: [], estimate: { points: 0 } });
  });

  it('refuses a clinic name that two clinics share', async () => {
    // Written straight to the server, past the console's own check, as another tool could.
    await admin.createResource<Organization>({ resourceType: 'Organization', name: `Twin ${tag}`, active: true });
    await admin.createResource<Organization>({ resourceType: 'Organization', name: `twin ${tag} `, active: true });
    const plan = await planRoster(engineContext(backend, admin), {
      file: csv(`mrn,given_name,family_name,birth_date,clinics\nTW-${tag},A,B,1990-01-02,Twin ${tag}\n`),
      options: OPTIONS,
      today: TODAY,
    });
    expect(plan.statusByLine.get(2)).toBe('error');
    expect(plan.issues[0]?.message).toContain('two clinics share');
  });
});

describe('the dry run of a practitioner roster', () => {
  it('finds clinicians by NPI or email and their clinics through their memberships', async () => {
    const known = await createClinician(backend, admin, [north], `known.${tag}@example.test`);
    const other = await createClinician(backend, admin, [north], `other.${tag}@example.test`);
    expect(known.membership.id).toBeDefined();
    const file = [
      'npi,given_name,family_name,email,clinics,action',
      `,Known,Clinician,KNOWN.${tag}@example.test,Plan South ${tag},`,
      `,Known,Clinician,known.${tag}@example.test,Plan North ${tag},`,
      `,New,Clinician,new.${tag}@example.test,Plan North ${tag},`,
      `,Other,Clinician,other.${tag}@example.test,Plan North ${tag},unenroll`,
      `,Nobody,Here,nobody.${tag}@example.test,Plan North ${tag},unenroll`,
    ].join('\n');
    const plan = await planRoster(engineContext(backend, admin), { file: csv(file), options: OPTIONS, today: TODAY });
    expect(Object.fromEntries(plan.statusByLine)).toEqual({ 2: 'enroll', 3: 'unchanged', 4: 'create', 5: 'unenroll', 6: 'unchanged' });
    expect(plan.people.find((person) => person.key === `known.${tag}@example.test`)).toMatchObject({ action: 'change', add: [south.id], remove: [] });
    expect(plan.people.find((person) => person.key === `other.${tag}@example.test`)).toMatchObject({ action: 'change', remove: [north.id] });
    expect(plan.totals).toMatchObject({ create: 1, enroll: 1, unenroll: 1, unchanged: 2, warning: 1 });
    expect(other.membership.id).toBeDefined();
  });
});
