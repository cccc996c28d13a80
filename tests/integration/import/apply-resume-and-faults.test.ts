/**
 * An import that is cancelled part-way and resumed, and one that meets a flaky server (10% 500s,
 * 5% 429s, 2% dropped connections, injected by the local server), both end with exactly what one
 * clean run writes: every patient once, in exactly the file's clinics.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MedplumClient } from '@medplum/core';
import type { Patient } from '@medplum/fhirtypes';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportJournal, fileDigest, personDigest } from '../../../main/import/apply/import-journal';
import { withRetries } from '../../../main/import/apply/with-retries';
import type { ImportOptions } from '../../../main/import/plan/import-plan';
import { runImport } from '../../../main/import/run-import';
import { type TestBackend, startTestBackend } from '../../support/backend';
import { engineContext } from '../../support/engine';
import { signInAsAdmin } from '../../support/local-server';
import { clientOver, meteredFetch } from '../../support/metered-fetch';

const TODAY = '2026-12-01';
const OPTIONS: ImportOptions = { createMissingClinics: true, updateDemographics: false, sendInvites: false, strict: false };
const dir = mkdtempSync(path.join(tmpdir(), 'mso-resume-'));
const backends: TestBackend[] = [];
afterAll(async () => {
  await Promise.all(backends.map((backend) => backend.stop()));
});

function roster(name: string, count: number): { file: string; expected: Map<string, string[]> } {
  const rows = ['mrn,given_name,family_name,birth_date,clinics'];
  const expected = new Map<string, string[]>();
  for (let index = 0; index < count; index++) {
    const clinics = index % 2 ? ['Resume A', 'Resume B'] : ['Resume B'];
    expected.set(`RS-${index}`, clinics.sort());
    rows.push(`RS-${index},Given${index},Family${index},1990-02-03,${clinics.join(';')}`);
  }
  const file = path.join(dir, name);
  writeFileSync(file, `${rows.join('\n')}\n`);
  return { file, expected };
}

/** Every patient of the project with the names of its clinics, read past any injected fault. */
async function serverState(admin: MedplumClient): Promise<Map<string, string[]>> {
  const read = <T,>(work: () => Promise<T>) => withRetries(work);
  const clinics = await read(() => admin.searchResources('Organization', { _count: '1000' }, { cache: 'no-cache' } as RequestInit));
  const names = new Map(clinics.map((clinic) => [`Organization/${clinic.id}`, clinic.name as string]));
  const patients = (await read(() => admin.searchResources('Patient', { _count: '1000' }, { cache: 'no-cache' } as RequestInit))) as Patient[];
  const state = new Map<string, string[]>();
  for (const patient of patients) {
    const mrn = patient.identifier?.[0]?.value as string;
    expect(state.has(mrn), `${mrn} exists twice`).toBe(false);
    state.set(mrn, (patient.meta?.accounts ?? []).map((account) => names.get(account.reference as string) as string).sort());
  }
  return state;
}

/**
 * Imports `count` new patients through `client`, cancelled once the first batch of 100 is in
 * (later batches never go out), then resumes through `admin`: the two runs together must end
 * exactly as one uninterrupted run.
 */
async function cancelThenResume(backend: TestBackend, admin: MedplumClient, client: MedplumClient, name: string, count: number): Promise<void> {
  const { file, expected } = roster(`${name}.csv`, count);
  const journalPath = path.join(dir, `${name}.journal`);
  const controller = new AbortController();
  const first = await runImport(engineContext(backend, client), {
    filePath: file,
    options: OPTIONS,
    journalPath,
    today: TODAY,
    signal: controller.signal,
    onProgress: (progress) => {
      if (progress.done >= 100) controller.abort();
    },
  });
  expect(first.applied?.cancelled).toBe(true);
  expect(first.applied?.created).toBeLessThan(count);
  const second = await runImport(engineContext(backend, admin), { filePath: file, options: OPTIONS, journalPath, today: TODAY });
  expect(second.resumed).toBe(true);
  expect((first.applied?.created ?? 0) + (second.applied?.created ?? 0)).toBe(count);
  expect(await serverState(admin)).toEqual(expected);
}

describe('an interrupted import', () => {
  it('resumed from its journal ends exactly as one uninterrupted run', async () => {
    const backend = await startTestBackend({ kind: 'local' });
    backends.push(backend);
    const admin = await signInAsAdmin(backend);
    await cancelThenResume(backend, admin, admin, 'resume', 450);
  });
});

describe('an import cancelled while its look-ups are still running', () => {
  it('ends as cancelled (not as a failure), and its resume ends exactly as one uninterrupted run', async () => {
    // Windows of 20,000 points (two batches) and latency: when the first batch is in, later
    // look-ups are out or waiting for the quota, and the cancel meets them there.
    const backend = await startTestBackend({ kind: 'local', local: { quota: { pointsPerWindow: 20_000, windowSeconds: 2 } } });
    backends.push(backend);
    const admin = await signInAsAdmin(backend);
    await cancelThenResume(backend, admin, clientOver(admin, meteredFetch(60).fetch), 'cancel-lookups', 900);
  }, 60_000);
});

describe('an import on a flaky server', () => {
  it('completes exactly under 10% 500s, 5% 429s and 2% dropped connections', async () => {
    const backend = await startTestBackend({ kind: 'local', local: { faults: { seed: 20261201, errorRate: 0.1, rateLimitRate: 0.05, dropRate: 0.02 } } });
    backends.push(backend);
    const admin = await signInAsAdmin(backend);
    const ctx = engineContext(backend, admin);
    const { file, expected } = roster('faults.csv', 350);
    const result = await runImport(ctx, { filePath: file, options: OPTIONS, journalPath: path.join(dir, 'faults.journal'), today: TODAY });
    expect(result.applied?.failed).toEqual([]);
    expect(backend.localServer?.faults?.history().filter((decision) => decision.action !== 'none').length).toBeGreaterThan(3);
    expect(await serverState(admin)).toEqual(expected);
  });
});

describe('an import paced by a small quota that other work of the same admin also spends', () => {
  it('finishes exactly: entries refused mid-batch are sent again, and the pacer never waits on a batch that is not out', async () => {
    // Two-second windows of 20,000 points: two batches' worth. Another window of the same admin
    // spends points meanwhile, so batches meet the window's end part-way (entries answered 429).
    const backend = await startTestBackend({ kind: 'local', local: { quota: { pointsPerWindow: 20_000, windowSeconds: 2 } } });
    backends.push(backend);
    const admin = await signInAsAdmin(backend);
    const other = await signInAsAdmin(backend);
    const { file, expected } = roster('paced.csv', 800);
    let importing = true;
    const elsewhere = (async () => {
      while (importing) {
        await other.searchResources('Organization', { _count: '1' }, { cache: 'no-cache' } as RequestInit).catch(() => undefined);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const result = await runImport(engineContext(backend, admin), { filePath: file, options: OPTIONS, journalPath: path.join(dir, 'paced.journal'), today: TODAY }).finally(() => {
      importing = false;
    });
    await elsewhere;
    expect(result.applied).toMatchObject({ created: 800, failed: [], cancelled: false });
    expect(await serverState(admin)).toEqual(expected);
  }, 120_000);
});

describe('a paced resume after a crash while two batches were out', () => {
  it('prices the unanswered people as conditional creates from the start and finishes exactly', async () => {
    // Windows of 20,000 points: both batches of the resume hold people whose batch never got an
    // answer (conditional creates: a write and a search each), which must not wait on each other.
    const backend = await startTestBackend({ kind: 'local', local: { quota: { pointsPerWindow: 20_000, windowSeconds: 2 } } });
    backends.push(backend);
    const admin = await signInAsAdmin(backend);
    const { file, expected } = roster('crashed.csv', 300);
    const journalPath = path.join(dir, 'crashed.journal');
    const journal = await ImportJournal.open(journalPath);
    await journal.append({ t: 'start', file: fileDigest(readFileSync(file)), kind: 'patients', at: new Date().toISOString() });
    const key = (index: number) => personDigest(`${backend.mrnSystem}|RS-${index}`);
    await journal.append({ t: 'sending', batch: 1, people: Array.from({ length: 100 }, (_, index) => key(index)) });
    await journal.append({ t: 'sending', batch: 2, people: Array.from({ length: 100 }, (_, index) => key(100 + index)) });
    await journal.close();
    const result = await runImport(engineContext(backend, admin), { filePath: file, options: OPTIONS, journalPath, today: TODAY });
    expect(result.resumed).toBe(true);
    expect(result.applied).toMatchObject({ created: 300, failed: [], cancelled: false });
    expect(await serverState(admin)).toEqual(expected);
  }, 60_000);
});
