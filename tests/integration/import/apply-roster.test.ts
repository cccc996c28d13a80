/**
 * Applying a roster to a server (the local one, and a real Medplum on the real tier): the server
 * then holds exactly what the file says, clinicians of each clinic see exactly its patients, the
 * same file again writes nothing, and (local server) injected faults change nothing of that.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MedplumClient, WithId } from '@medplum/core';
import type { Organization, ProjectMembership } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportOptions } from '../../../main/import/plan/import-plan';
import { runImport } from '../../../main/import/run-import';
import { type TestBackend, backendKind, startTestBackend } from '../../support/backend';
import { engineContext, visiblePatientIds } from '../../support/engine';
import { createClinic, createClinician, signInAsAdmin } from '../../support/local-server';
import { clientOver, meteredFetch } from '../../support/metered-fetch';

let backend: TestBackend;
let admin: MedplumClient;
const TODAY = '2026-12-01';
const OPTIONS: ImportOptions = { createMissingClinics: true, updateDemographics: false, sendInvites: false, strict: false };
const tag = Math.random().toString(36).slice(2, 8);
const dir = mkdtempSync(path.join(tmpdir(), 'mso-apply-'));

beforeAll(async () => {
  backend = await startTestBackend({ kind: backendKind() });
  await backend.setFhirQuota(2_000_000);
  admin = await signInAsAdmin(backend);
});
afterAll(async () => {
  await backend.stop();
});

function writeRoster(name: string, lines: readonly string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function clinicByName(name: string): Promise<WithId<Organization>> {
  const found = await admin.searchResources('Organization', { name: `${name}` }, { cache: 'no-cache' } as RequestInit);
  const exact = found.filter((clinic) => clinic.name === name);
  expect(exact).toHaveLength(1);
  return exact[0] as WithId<Organization>;
}

async function mrnsIn(clinic: WithId<Organization>): Promise<string[]> {
  const patients = await admin.searchResources('Patient', { _compartment: `Organization/${clinic.id}`, _count: '1000' }, { cache: 'no-cache' } as RequestInit);
  return patients.map((patient) => patient.identifier?.[0]?.value as string).sort();
}

async function writtenSince(since: string): Promise<number> {
  let count = 0;
  for (const type of ['Patient', 'Organization', 'Practitioner', 'ProjectMembership', 'Observation'] as const) {
    const bundle = await admin.search(type, { _lastUpdated: `gt${since}`, _summary: 'count' }, { cache: 'no-cache' } as RequestInit);
    count += bundle.total ?? 0;
  }
  return count;
}

describe('applying a patient roster', () => {
  it('creates and enrolls exactly what the file says; clinicians then see exactly their clinic; the same file again writes nothing', async () => {
    const east = await createClinic(admin, `Apply East ${tag}`);
    const rows = ['mrn,given_name,family_name,birth_date,gender,clinics'];
    const expectedEast: string[] = [];
    const expectedWest: string[] = [];
    for (let index = 0; index < 240; index++) {
      const mrn = `AP-${tag}-${index}`;
      const clinics = index % 3 === 0 ? `Apply East ${tag};Apply West ${tag}` : index % 3 === 1 ? `Apply East ${tag}` : `Apply West ${tag}`;
      if (index % 3 !== 2) expectedEast.push(mrn);
      if (index % 3 !== 1) expectedWest.push(mrn);
      rows.push(`${mrn},Given${index},Family${index},1990-01-${String((index % 28) + 1).padStart(2, '0')},${index % 2 ? 'F' : 'M'},${clinics}`);
    }
    const file = writeRoster('patients.csv', rows);
    const ctx = engineContext(backend, admin);
    const first = await runImport(ctx, { filePath: file, options: OPTIONS, journalPath: path.join(dir, 'patients.journal'), today: TODAY });
    expect(first.plan.totals).toMatchObject({ rows: 240, create: 240, error: 0 });
    expect(first.plan.clinicsToCreate).toEqual([`Apply West ${tag}`]);
    expect(first.applied).toMatchObject({ created: 240, changed: 0, failed: [], clinicsCreated: 1, cancelled: false });

    const west = await clinicByName(`Apply West ${tag}`);
    expect(await mrnsIn(east)).toEqual(expectedEast.sort());
    expect(await mrnsIn(west)).toEqual(expectedWest.sort());
    const eastClinician = await createClinician(backend, admin, [east]);
    const westClinician = await createClinician(backend, admin, [west]);
    expect((await visiblePatientIds(eastClinician.client)).length).toBe(expectedEast.length);
    expect((await visiblePatientIds(westClinician.client)).length).toBe(expectedWest.length);

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const since = new Date().toISOString();
    const again = await runImport(ctx, { filePath: file, options: OPTIONS, journalPath: path.join(dir, 'patients-again.journal'), today: TODAY });
    expect(again.plan.totals).toMatchObject({ rows: 240, create: 0, enroll: 0, unchanged: 240 });
    expect(again.applied).toMatchObject({ created: 0, changed: 0, failed: [] });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await writtenSince(since)).toBe(0);
  });

  it('creates the first patients while the rest of the file is still looked up, with full batches and each patient once', async () => {
    const clinic = await createClinic(admin, `Stream ${tag}`);
    const rows = ['mrn,given_name,family_name,birth_date,clinics'];
    // Five look-ups (500 MRNs each, four at once) and 25 create batches; a few patients exist already.
    for (let index = 0; index < 2500; index++) rows.push(`ST-${tag}-${index},Given${index},Family,1990-03-04,Stream ${tag}`);
    await runImport(engineContext(backend, admin), {
      filePath: writeRoster('stream-existing.csv', [rows[0] as string, ...[7, 1250, 2499].map((index) => rows[index + 1] as string)]),
      options: OPTIONS,
      journalPath: path.join(dir, 'stream-existing.journal'),
      today: TODAY,
    });
    // Each request's start and end, as the client sees them; a little latency, as from afar.
    const meter = meteredFetch(25);
    const log: { at: number; kind: 'look-up' | 'batch'; edge: 'start' | 'end' }[] = [];
    const logged: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const kind = init?.method === 'POST' && /\/fhir\/R4\/?$/.test(url.pathname) ? 'batch' : url.pathname.endsWith('/Patient/_search') ? 'look-up' : undefined;
      if (kind) log.push({ at: performance.now(), kind, edge: 'start' });
      try {
        return await meter.fetch(input, init);
      } finally {
        if (kind) log.push({ at: performance.now(), kind, edge: 'end' });
      }
    };
    const result = await runImport(engineContext(backend, clientOver(admin, logged)), {
      filePath: writeRoster('stream.csv', rows),
      options: OPTIONS,
      journalPath: path.join(dir, 'stream.journal'),
      today: TODAY,
    });
    expect(result.plan.totals).toMatchObject({ rows: 2500, create: 2497, unchanged: 3, error: 0 });
    expect(result.applied).toMatchObject({ created: 2497, changed: 0, failed: [], cancelled: false });
    const lookUps = log.filter((event) => event.kind === 'look-up' && event.edge === 'start');
    const batches = log.filter((event) => event.kind === 'batch' && event.edge === 'start');
    expect(lookUps).toHaveLength(5);
    // 2,497 new patients: 24 full batches and the rest, as when the whole plan came first.
    expect(batches).toHaveLength(25);
    const lastLookUpEnd = Math.max(...log.filter((event) => event.kind === 'look-up' && event.edge === 'end').map((event) => event.at));
    expect(batches[0]?.at).toBeLessThan(lastLookUpEnd);
    const mrns: string[] = [];
    for await (const page of admin.searchResourcePages('Patient', { _compartment: `Organization/${clinic.id}`, _count: '1000' }, { cache: 'no-cache' } as RequestInit)) {
      mrns.push(...page.map((patient) => patient.identifier?.[0]?.value as string));
    }
    expect(mrns).toHaveLength(2500);
    expect(new Set(mrns).size).toBe(2500);
  });

  it('moves existing patients between clinics through the engine, keeping their records in line', async () => {
    const north = await createClinic(admin, `Move North ${tag}`);
    const south = await createClinic(admin, `Move South ${tag}`);
    const ctx = engineContext(backend, admin);
    await runImport(ctx, {
      filePath: writeRoster('move-1.csv', ['mrn,given_name,family_name,birth_date,clinics', `MV-${tag}-1,A,B,1990-01-02,Move North ${tag}`, `MV-${tag}-2,C,D,1991-01-02,Move North ${tag}`]),
      options: OPTIONS,
      journalPath: path.join(dir, 'move-1.journal'),
      today: TODAY,
    });
    const [patient] = await admin.searchResources('Patient', { identifier: `${backend.mrnSystem}|MV-${tag}-1` }, { cache: 'no-cache' } as RequestInit);
    await admin.createResource({ resourceType: 'Observation', status: 'final', code: { text: 'weight' }, subject: { reference: `Patient/${patient?.id}` } });
    const result = await runImport(ctx, {
      filePath: writeRoster('move-2.csv', [
        'mrn,given_name,family_name,birth_date,clinics,action',
        `MV-${tag}-1,A,B,1990-01-02,Move South ${tag},enroll`,
        `MV-${tag}-1,A,B,1990-01-02,Move North ${tag},unenroll`,
        `MV-${tag}-2,C,D,1991-01-02,Move North ${tag},`,
      ]),
      options: OPTIONS,
      journalPath: path.join(dir, 'move-2.journal'),
      today: TODAY,
    });
    expect(result.plan.totals).toMatchObject({ enroll: 1, unenroll: 1, unchanged: 1 });
    expect(result.applied).toMatchObject({ created: 0, changed: 1, failed: [] });
    expect(await mrnsIn(north)).toEqual([`MV-${tag}-2`]);
    expect(await mrnsIn(south)).toEqual([`MV-${tag}-1`]);
    const observations = await admin.searchResources('Observation', { subject: `Patient/${patient?.id}` }, { cache: 'no-cache' } as RequestInit);
    expect(observations.map((observation) => (observation.meta?.accounts ?? []).map((account) => account.reference))).toEqual([[`Organization/${south.id}`]]);
  });
});

describe('applying a practitioner roster', () => {
  it('invites new clinicians and changes others, never leaving a membership that grants the whole project', async () => {
    const one = await createClinic(admin, `Staff One ${tag}`);
    const two = await createClinic(admin, `Staff Two ${tag}`);
    const existing = await createClinician(backend, admin, [one], `staff.existing.${tag}@example.test`);
    const ctx = engineContext(backend, admin);
    const rows = ['npi,given_name,family_name,email,clinics,action', `,Ex,Isting,staff.existing.${tag}@example.test,Staff Two ${tag},`, `,Ex,Isting,staff.existing.${tag}@example.test,Staff One ${tag},unenroll`];
    for (let index = 0; index < 6; index++) rows.push(`,New${index},Staff,staff.new${index}.${tag}@example.test,Staff One ${tag},`);
    const result = await runImport(ctx, { filePath: writeRoster('staff.csv', rows), options: OPTIONS, journalPath: path.join(dir, 'staff.journal'), today: TODAY });
    expect(result.applied?.failed).toEqual([]);
    expect(result.applied).toMatchObject({ created: 6, changed: 1 });
    const memberships = (await admin.searchResources('ProjectMembership', { _count: '1000' }, { cache: 'no-cache' } as RequestInit)) as WithId<ProjectMembership>[];
    const clinicsOfEmail = async (email: string) => {
      const [practitioner] = await admin.searchResources('Practitioner', { email }, { cache: 'no-cache' } as RequestInit);
      const mine = memberships.filter((membership) => membership.profile?.reference === `Practitioner/${practitioner?.id}`);
      for (const membership of mine) expect(membership.accessPolicy?.reference).toBe(`AccessPolicy/${backend.seed.msoPolicyId}`);
      return mine.flatMap((membership) => (membership.access ?? []).map((entry) => entry.parameter?.[0]?.valueReference?.reference)).sort();
    };
    expect(await clinicsOfEmail(existing.email)).toEqual([`Organization/${two.id}`]);
    for (let index = 0; index < 6; index++) expect(await clinicsOfEmail(`staff.new${index}.${tag}@example.test`)).toEqual([`Organization/${one.id}`]);
  });
});
