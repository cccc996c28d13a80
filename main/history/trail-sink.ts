/**
 * Where every change the console makes is recorded: the local JSON log (as before), and the
 * project's shared trail as an AuditEvent, through the outbox so that nothing is lost offline and
 * nothing is sent twice.
 */
import { randomUUID } from 'node:crypto';
import type { MedplumClient } from '@medplum/core';
import type { AuditEvent } from '@medplum/fhirtypes';
import type { ActivityEntry, ActivitySink } from '../engines/activity-log';
import type { Logger } from '../logging/logger';
import { ENTRY_TAG_SYSTEM, toAuditEvent } from './audit-event';
import type { Outbox } from './outbox';

export interface TrailSinkOptions {
  readonly local: ActivitySink;
  readonly outbox: Outbox;
  /** The session's client; undefined when there is none (entries then wait in the outbox). */
  readonly client: () => MedplumClient | undefined;
  readonly logger?: Logger;
}

export class TrailSink implements ActivitySink {
  private flushing: Promise<number> | undefined;

  constructor(private readonly options: TrailSinkOptions) {}

  async record(entry: ActivityEntry): Promise<void> {
    const withId = { ...entry, id: entry.id ?? randomUUID() };
    await this.options.local.record(withId);
    await this.options.outbox.add(withId);
    // Sent now when the server answers; otherwise it waits in the outbox for the next flush.
    await this.flush().catch(() => undefined);
  }

  /** Sends every pending entry, oldest first; stops at the first that cannot be sent. Returns how many were sent. */
  flush(): Promise<number> {
    this.flushing ??= this.sendPending().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  private async sendPending(): Promise<number> {
    const client = this.options.client();
    if (!client) return 0;
    const pending = await this.options.outbox.pending();
    let sent = 0;
    for (const entry of pending) {
      try {
        await client.createResourceIfNoneExist<AuditEvent>(toAuditEvent(entry), `_tag=${ENTRY_TAG_SYSTEM}|${entry.id}`);
      } catch (err) {
        this.options.logger?.warn('trail.send_failed', { pending: pending.length - sent, status: (err as { outcome?: unknown }).outcome ? 'refused' : 'unreachable' });
        return sent;
      }
      await this.options.outbox.markSent(entry.id);
      sent++;
    }
    if (sent > 0) await this.options.outbox.compact();
    return sent;
  }
}
