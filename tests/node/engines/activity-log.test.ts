import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MedplumClient } from '@medplum/core';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ActivityEntry } from '../../../main/engines/activity-log';
import { JsonLinesActivityLog } from '../../../main/engines/activity-log';
import { withActivity } from '../../../main/engines/record-activity';

const entry = (i: number): ActivityEntry => ({
  time: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
  actor: 'Practitioner/admin',
  action: 'clinician.enroll',
  targets: [`Practitioner/${i}`, 'Organization/a'],
  result: 'ok',
});

describe('activity log file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'activity-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('entries appended at the same time are all kept, one per line, and read back newest first in pages', async () => {
    const log = new JsonLinesActivityLog(join(dir, 'nested', 'activity.jsonl'));
    await Promise.all(Array.from({ length: 25 }, (_, i) => log.record(entry(i))));
    const text = await readFile(log.path, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(25);
    const first = await log.read({ offset: 0, count: 10 });
    expect(first.total).toBe(25);
    expect(first.entries.map((e) => e.targets[0])).toEqual(Array.from({ length: 10 }, (_, i) => `Practitioner/${24 - i}`));
    const last = await log.read({ offset: 20, count: 10 });
    expect(last.entries.map((e) => e.targets[0])).toEqual(['Practitioner/4', 'Practitioner/3', 'Practitioner/2', 'Practitioner/1', 'Practitioner/0']);
  });

  test('a page reads only its own lines once the file is indexed; filters look through every slice', async () => {
    const log = new JsonLinesActivityLog(join(dir, 'big.jsonl'));
    for (let i = 0; i < 1200; i++) await appendFile(log.path, `${JSON.stringify({ ...entry(i % 60), targets: [`Practitioner/${i}`], result: i % 100 === 0 ? 'failed' : 'ok' })}\n`);
    expect((await log.read({ count: 1 })).total).toBe(1200);
    // Overwrite the oldest half in place: a reader that parsed the whole file again would lose
    // those lines from its total; the index reads only the newest page's bytes.
    const text = await readFile(log.path, 'utf8');
    const half = text.indexOf('\n', text.length / 2) + 1;
    await writeFile(log.path, 'x'.repeat(half - 1) + '\n' + text.slice(half));
    const page = await log.read({ offset: 0, count: 3 });
    expect(page.total).toBe(1200);
    expect(page.entries.map((e) => e.targets[0])).toEqual(['Practitioner/1199', 'Practitioner/1198', 'Practitioner/1197']);
    // Appends are indexed as they come.
    await log.record({ ...entry(1), targets: ['Practitioner/new'] });
    expect((await log.read({ count: 1 })).entries[0]?.targets).toEqual(['Practitioner/new']);
    // A filter over more lines than one slice finds the matches in the newer half, newest first.
    const failed = await log.read({ filter: (e) => e.result === 'failed', count: 100 });
    expect(failed.entries.slice(0, 5).map((e) => e.targets[0])).toEqual(['Practitioner/1100', 'Practitioner/1000', 'Practitioner/900', 'Practitioner/800', 'Practitioner/700']);
    expect(failed.entries.every((e) => e.result === 'failed')).toBe(true);
  });

  test('a torn last line (crash mid-write) is skipped, and later appends still read', async () => {
    const log = new JsonLinesActivityLog(join(dir, 'activity.jsonl'));
    await log.record(entry(1));
    await appendFile(log.path, '{"time":"2025-01-01T00:00:02.000Z","act');
    await appendFile(log.path, '\n');
    await log.record(entry(3));
    const page = await log.read();
    expect(page.entries.map((e) => e.targets[0])).toEqual(['Practitioner/3', 'Practitioner/1']);
  });

  test('a missing file reads as empty', async () => {
    expect(await new JsonLinesActivityLog(join(dir, 'none.jsonl')).read()).toEqual({ entries: [], total: 0 });
  });

  test('withActivity records who, when, what and the result, and a failed change as failed', async () => {
    const log = new JsonLinesActivityLog(join(dir, 'activity.jsonl'));
    const client = { getProfile: () => ({ resourceType: 'Practitioner', id: 'admin' }) } as unknown as MedplumClient;
    const ctx = { client, activity: log, clock: () => new Date('2025-02-03T04:05:06.000Z') };
    await withActivity(ctx, 'clinic.create', [], async () => ({ id: 'c1' }), (r) => ({ clinic: `Organization/${r.id}` }));
    const failure = Object.assign(new Error('nope'), { code: 'conflict', field: 'name' });
    await expect(withActivity(ctx, 'clinic.rename', ['Organization/c1'], () => Promise.reject(failure))).rejects.toBe(failure);
    const { entries } = await log.read();
    // Each entry has its own id (the shared trail's key, docs/history.md).
    expect(new Set(entries.map((e) => e.id)).size).toBe(2);
    expect(entries.every((e) => /^[0-9a-f-]{36}$/.test(e.id ?? ''))).toBe(true);
    expect(entries.map(({ id: _id, ...rest }) => rest)).toEqual([
      { time: '2025-02-03T04:05:06.000Z', actor: 'Practitioner/admin', action: 'clinic.rename', targets: ['Organization/c1'], result: 'failed', detail: { error: 'conflict', field: 'name' } },
      // The clinic the change made is one of the entry's records.
      { time: '2025-02-03T04:05:06.000Z', actor: 'Practitioner/admin', action: 'clinic.create', targets: ['Organization/c1'], result: 'ok', detail: { clinic: 'Organization/c1' } },
    ]);
  });

  test('a log that cannot be written does not turn a change that was made into a failure', async () => {
    const errors: string[] = [];
    const client = { getProfile: () => undefined } as unknown as MedplumClient;
    const ctx = {
      client,
      activity: { record: () => Promise.reject(new Error('disk full')) },
      logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: (event: string) => errors.push(event) },
    };
    await expect(withActivity(ctx, 'clinic.create', [], async () => 'made')).resolves.toBe('made');
    expect(errors).toEqual(['activity.record_failed']);
  });
});
