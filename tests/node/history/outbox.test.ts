import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MedplumClient } from '@medplum/core';
import { OperationOutcomeError, badRequest, forbidden } from '@medplum/core';
import type { AuditEvent } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { type ActivityEntry, MemoryActivityLog } from '../../../main/engines/activity-log';
import { Outbox } from '../../../main/history/outbox';
import { TrailSink } from '../../../main/history/trail-sink';
import { ENTRY_TAG_SYSTEM } from '../../../main/history/audit-event';

function entry(n: number): ActivityEntry & { id: string } {
  return { id: `00000000-0000-4000-a000-00000000000${n}`, time: `2026-12-01T09:0${n}:00.000Z`, actor: 'Practitioner/a', action: 'patient.enroll', targets: ['Patient/p', 'Organization/o'], result: 'ok' };
}

async function tempOutbox(): Promise<Outbox> {
  return new Outbox(path.join(await mkdtemp(path.join(tmpdir(), 'outbox-')), 'outbox.jsonl'));
}

/** A server that keeps AuditEvents by their entry tag, like a conditional create; can be switched off. */
function fakeServer() {
  const stored = new Map<string, AuditEvent>();
  const state = { online: true, calls: 0 };
  const client = {
    createResourceIfNoneExist: async (event: AuditEvent, query: string) => {
      state.calls++;
      if (!state.online) throw new TypeError('fetch failed');
      const key = query.replace(`_tag=${ENTRY_TAG_SYSTEM}|`, '');
      if (!stored.has(key)) stored.set(key, { ...event, id: `ae-${stored.size + 1}` });
      return stored.get(key);
    },
  } as unknown as MedplumClient;
  return { client, stored, state };
}

describe('outbox and trail sink', () => {
  it('keeps what could not be sent, on disk, and sends it once the server answers', async () => {
    const outbox = await tempOutbox();
    const server = fakeServer();
    server.state.online = false;
    const local = new MemoryActivityLog();
    const sink = new TrailSink({ local, outbox, client: () => server.client });
    await sink.record(entry(1));
    await sink.record(entry(2));
    expect(local.entries).toHaveLength(2);
    expect((await outbox.pending()).map((e) => e.id)).toEqual([entry(1).id, entry(2).id]);
    expect(server.stored.size).toBe(0);

    // A new process (same file) after the network is back.
    server.state.online = true;
    const again = new TrailSink({ local, outbox: new Outbox(outbox.path), client: () => server.client });
    expect(await again.flush()).toBe(2);
    expect(server.stored.size).toBe(2);
    expect(await outbox.pending()).toEqual([]);
  });

  it('a crash after the server stored an entry but before it was marked sent makes no second AuditEvent', async () => {
    const outbox = await tempOutbox();
    const server = fakeServer();
    await outbox.add(entry(3));
    // The send went out and the process died before writing the "sent" line.
    const { toAuditEvent } = await import('../../../main/history/audit-event');
    await server.client.createResourceIfNoneExist(toAuditEvent(entry(3)), `_tag=${ENTRY_TAG_SYSTEM}|${entry(3).id}`);
    const sink = new TrailSink({ local: new MemoryActivityLog(), outbox: new Outbox(outbox.path), client: () => server.client });
    expect(await sink.flush()).toBe(1);
    expect(server.stored.size).toBe(1);
    expect(await outbox.pending()).toEqual([]);
  });

  it('skips a line torn by a crash, keeps the rest, and writes the next entry on a line of its own', async () => {
    const outbox = await tempOutbox();
    await outbox.add(entry(4));
    await appendFile(outbox.path, '{"t":"entry","entry":{"id":"x');
    expect((await outbox.pending()).map((e) => e.id)).toEqual([entry(4).id]);
    await outbox.add(entry(5));
    expect((await new Outbox(outbox.path).pending()).map((e) => e.id)).toEqual([entry(4).id, entry(5).id]);
  });

  it('compacts the file once everything is sent', async () => {
    const outbox = await tempOutbox();
    const server = fakeServer();
    const sink = new TrailSink({ local: new MemoryActivityLog(), outbox, client: () => server.client });
    await sink.record(entry(6));
    expect(await readFile(outbox.path, 'utf8')).toBe('');
  });

  it('an entry the server refuses for what it is (400) is not retried forever and holds back nothing; a 403 waits', async () => {
    const outbox = await tempOutbox();
    const server = fakeServer();
    const refuse = (status: number) => new OperationOutcomeError(status === 403 ? forbidden : badRequest('Missing required property'));
    let answer: number | undefined = 400;
    const client = {
      createResourceIfNoneExist: async (event: AuditEvent, query: string) => {
        if (answer !== undefined) {
          const status = answer;
          answer = undefined;
          throw refuse(status);
        }
        return server.client.createResourceIfNoneExist(event, query);
      },
    } as unknown as MedplumClient;
    const sink = new TrailSink({ local: new MemoryActivityLog(), outbox, client: () => client });
    await outbox.add(entry(7));
    await outbox.add(entry(8));
    expect(await sink.flush()).toBe(1);
    expect([...server.stored.keys()]).toEqual([entry(8).id]);
    expect(await outbox.pending()).toEqual([]);

    answer = 403;
    await sink.record(entry(9));
    expect((await outbox.pending()).map((e) => e.id)).toEqual([entry(9).id]);
    expect(await sink.flush()).toBe(1);
  });
});
