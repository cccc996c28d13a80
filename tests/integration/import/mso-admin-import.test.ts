/**
 * `mso-admin import` as IT runs it: its own process, the app's settings folder and the app's
 * keychain sign-in (a real Secret Service), against a server over HTTP. Killed with SIGKILL ten
 * times at random moments and run again each time, it ends with exactly the file's state.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MedplumClient } from '@medplum/core';
import type { Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../../main/secrets/keytar-secret-store';
import { type TestBackend, startTestBackend } from '../../support/backend';
import { unwrapOk } from '../../support/envelope';
import { type TestMain, createDirectApi, createTestMain } from '../../support/ipc';
import { signInAsAdmin } from '../../support/local-server';

const ROOT = path.join(__dirname, '..', '..', '..');
const service = `MSO cli import test ${randomUUID()}`;
let backend: TestBackend;
let admin: MedplumClient;
let main: TestMain;
const dir = mkdtempSync(path.join(tmpdir(), 'mso-cli-import-'));

beforeAll(async () => {
  backend = await startTestBackend({ kind: 'local' });
  // Eleven runs of one 400-row file within a minute, each re-planning and re-sending what a kill
  // left unanswered, write more than Medplum's default quota a minute (docs/testing.md).
  await backend.setFhirQuota(2_000_000);
  admin = await signInAsAdmin(backend);
  main = createTestMain({ secrets: new KeytarSecretStore(service) });
  const api = createDirectApi(main);
  const base = { baseUrl: backend.baseUrl, projectId: backend.projectId, mrnSystem: backend.mrnSystem, isolationMode: 'shared-membership' as const };
  const connection = unwrapOk(await api.saveConnection({ connection: { ...base, name: 'Test MSO', signIn: { method: 'password' } } }));
  unwrapOk(await api.signIn({ connectionId: connection.id, credentials: { method: 'password', email: backend.admin.email, password: backend.admin.password } }));
  unwrapOk(await api.saveConnection({ connection: { ...base, name: 'Never signed in', signIn: { method: 'password' } } }));
});
afterAll(async () => {
  await backend.stop();
});

function cli(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'main', 'cli', 'mso-admin.ts'), ...args, '--user-data', main.userDataDir, '--keychain-service', service], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finished(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

function roster(name: string, count: number, prefix: string): { file: string; expected: Map<string, string[]> } {
  const rows = ['mrn,given_name,family_name,birth_date,clinics'];
  const expected = new Map<string, string[]>();
  for (let index = 0; index < count; index++) {
    const clinics = index % 2 ? [`${prefix} A`, `${prefix} B`] : [`${prefix} A`];
    expected.set(`${prefix}-${index}`, clinics);
    rows.push(`${prefix}-${index},Given${index},Family${index},1990-02-03,${clinics.join(';')}`);
  }
  const file = path.join(dir, name);
  writeFileSync(file, `${rows.join('\n')}\n`);
  return { file, expected };
}

async function stateOf(prefix: string): Promise<Map<string, string[]>> {
  const clinics = await admin.searchResources('Organization', { _count: '1000' }, { cache: 'no-cache' } as RequestInit);
  const names = new Map(clinics.map((clinic) => [`Organization/${clinic.id}`, clinic.name as string]));
  const patients: Patient[] = [];
  for await (const page of admin.searchResourcePages('Patient', { _count: '1000' }, { cache: 'no-cache' } as RequestInit)) patients.push(...page);
  const state = new Map<string, string[]>();
  for (const patient of patients) {
    const mrn = patient.identifier?.[0]?.value as string;
    if (!mrn.startsWith(`${prefix}-`)) continue;
    expect(state.has(mrn), `${mrn} twice`).toBe(false);
    state.set(mrn, (patient.meta?.accounts ?? []).map((account) => names.get(account.reference as string) as string).sort());
  }
  return state;
}

describe('mso-admin import', () => {
  it('imports with the app’s saved sign-in; the same file again changes nothing; a dry run writes nothing', async () => {
    const { file, expected } = roster('first.csv', 120, 'CLI');
    const dry = await finished(cli(['import', file, '--connection', 'test mso', '--create-missing-clinics', '--dry-run', '--json']));
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, totals: { create: 120 }, applied: null, clinicsToCreate: 2 });
    expect((await stateOf('CLI')).size).toBe(0);

    const run = await finished(cli(['import', file, '--connection', 'Test MSO', '--create-missing-clinics', '--json']));
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ applied: { created: 120, changed: 0, failed: 0, cancelled: false } });
    expect(await stateOf('CLI')).toEqual(expected);

    const again = await finished(cli(['import', file, '--connection', 'Test MSO', '--create-missing-clinics', '--json', '--journal', path.join(dir, 'again.journal')]));
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ totals: { create: 0, unchanged: 120 }, applied: { created: 0, changed: 0 } });
  });

  it('says when there is no saved sign-in, and when the connection is unknown', async () => {
    const { file } = roster('unsigned.csv', 2, 'NOSIGN');
    const unsigned = await finished(cli(['import', file, '--connection', 'Never signed in']));
    expect(unsigned.code).toBe(4);
    expect(unsigned.stderr).toContain('no saved sign-in');
    const unknown = await finished(cli(['import', file, '--connection', 'Nope']));
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain('Connections in the app');
  });

  it('writes an error report that names each failed row and never runs a cell as a formula', async () => {
    const file = path.join(dir, 'errors.csv');
    writeFileSync(file, 'mrn,given_name,family_name,birth_date,clinics\nER-1,=cmd(),Lee,1990-02-31,CLI A\nER-2,Ann,Lee,1990-02-03,CLI A\n');
    const report = path.join(dir, 'errors-report.csv');
    const result = await finished(cli(['import', file, '--connection', 'Test MSO', '--error-report', report]));
    expect(result.code, result.stderr).toBe(0);
    const text = readFileSync(report, 'utf8');
    expect(text.split('\r\n')[0]).toBe('mrn,given_name,family_name,birth_date,clinics,line,status,message');
    expect(text).toContain("ER-1,'=cmd(),Lee,1990-02-31,CLI A,2,error,");
    expect(text).not.toContain('ER-2');
  });

  it('killed with SIGKILL ten times at random moments while it writes, then run again, ends exactly as the file says', async () => {
    const { file, expected } = roster('killed.csv', 5_000, 'KILL');
    const journal = path.join(dir, 'killed.journal');
    const args = ['import', file, '--connection', 'Test MSO', '--create-missing-clinics', '--json', '--journal', journal];
    const sendingLines = () => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').filter((line) => line.includes('"t":"sending"')).length : 0);
    let kills = 0;
    for (let round = 0; round < 16 && kills < 10; round++) {
      const child = cli(args);
      const outcome = finished(child);
      // Killed at a random moment after this run's next batch went out: in the middle of writing,
      // never in the sign-in's first moments (a kill there is another test's matter).
      const before = sendingLines();
      while (child.exitCode === null && sendingLines() === before) await new Promise((resolve) => setTimeout(resolve, 10));
      await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 60)));
      if (child.exitCode === null && child.kill('SIGKILL')) kills++;
      const ended = await outcome;
      if (ended.code === 0) break;
      expect(ended.code, ended.stderr).toBeNull();
    }
    // 5,000 rows are 50 batches, a few going out at once: room for ten kills in the middle of writing.
    expect(kills).toBeGreaterThanOrEqual(10);
    // The kills came while writing, not only while starting: batches went out before the last run.
    const journalled = readFileSync(journal, 'utf8').split('\n').filter((line) => line.includes('"t":"sending"'));
    expect(journalled.length).toBeGreaterThanOrEqual(2);
    const last = await finished(cli(args));
    expect(last.code, last.stderr).toBe(0);
    expect(await stateOf('KILL')).toEqual(expected);
  }, 180_000);
});
