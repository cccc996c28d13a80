import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRotatingFileSink } from '../../../main/logging/file-sink';
import { createLogger } from '../../../main/logging/logger';

describe('the rotating log file', () => {
  it('rotates by size, keeps a bounded number of files, and loses no record of the newest ones', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mso-logs-'));
    const sink = createRotatingFileSink({ dir, maxBytes: 2_000, keep: 2 });
    const logger = createLogger(sink.write, () => new Date('2026-12-01T09:00:00Z'));
    for (let index = 0; index < 100; index++) logger.info('job.progress', { index, done: index * 10 });
    expect((await readdir(dir)).sort()).toEqual(['main.1.log', 'main.2.log', 'main.log']);
    const sizes = await Promise.all(sink.files().map(async (file) => (await readFile(file)).byteLength));
    for (const size of sizes) expect(size).toBeLessThanOrEqual(2_000);
    const lines = (await Promise.all([...sink.files()].reverse().map((file) => readFile(file, 'utf8')))).join('').trim().split('\n');
    const indexes = lines.map((line) => (JSON.parse(line) as { fields: { index: number } }).fields.index);
    // The newest records are all there, in order, up to the last one written.
    expect(indexes.at(-1)).toBe(99);
    expect(indexes).toEqual(Array.from({ length: indexes.length }, (_, offset) => 100 - indexes.length + offset));
    expect(indexes.length).toBeGreaterThan(20);
  });

  it('carries on where an existing file left off, and gives the recent tail on whole lines', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mso-logs-'));
    createLogger(createRotatingFileSink({ dir, maxBytes: 10_000 }).write).info('app.started', { version: '0.1.0' });
    const sink = createRotatingFileSink({ dir, maxBytes: 10_000 });
    createLogger(sink.write).info('app.started', { version: '0.1.1' });
    const text = await readFile(path.join(dir, 'main.log'), 'utf8');
    expect(text.trim().split('\n').map((line) => (JSON.parse(line) as { fields: { version: string } }).fields.version)).toEqual(['0.1.0', '0.1.1']);
    const tail = sink.recent(120);
    expect(tail.length).toBeLessThanOrEqual(120);
    expect(tail.trim().split('\n').map((line) => JSON.parse(line).fields.version)).toEqual(['0.1.1']);
  });

  it('writes no secret and no e-mail address', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mso-logs-'));
    const sink = createRotatingFileSink({ dir });
    createLogger(sink.write).warn('sign-in.failed', { password: 'hunter2', refreshToken: 'rt-123', user: 'jane.smith@clinic.example', status: 401 });
    const text = await readFile(path.join(dir, 'main.log'), 'utf8');
    expect(text).not.toMatch(/hunter2|rt-123|jane\.smith/);
    expect(JSON.parse(text).fields).toEqual({ password: '[redacted]', refreshToken: '[redacted]', user: '[email]', status: 401 });
  });

  it('never throws when the folder cannot be written', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mso-logs-'));
    await writeFile(path.join(dir, 'not-a-folder'), '');
    const sink = createRotatingFileSink({ dir: path.join(dir, 'not-a-folder', 'logs') });
    expect(() => createLogger(sink.write).info('app.started')).not.toThrow();
    expect(sink.files()).toEqual([]);
  });
});
