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
import { statusOf } from '../engines/server-errors';
import { ENTRY_TAG_SYSTEM, toAuditEvent } from './audit-event';
import type { Outbox } from './outbox';

/** Answers after which an entry is sent again later: signed out, not allowed (now), throttled. */
const RETRY_LATER = [401, 403, 408, 409, 412, 429];

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
    let settled = 0;
    for (const entry of pending) {
      const outcome = await this.send(client, entry);
      if (outcome === 'later') break;
      // Sent, or refused for what it is: either way it leaves the outbox (a refused one stays in the local log).
      await this.options.outbox.markSent(entry.id);
      settled++;
      if (outcome === 'sent') sent++;
    }
    if (settled > 0) await this.options.outbox.compact();
    return sent;
  }

  private async send(client: MedplumClient, entry: ActivityEntry & { id: string }): Promise<'sent' | 'refused' | 'later'> {
    try {
      await client.createResourceIfNoneExist<AuditEvent>(toAuditEvent(entry), `_tag=${ENTRY_TAG_SYSTEM}|${entry.id}`);
      return 'sent';
    } catch (err) {
      const status = statusOf(err);
      if (status === undefined || RETRY_LATER.includes(status) || status >= 500) {
        // Offline, throttled, or signed in as someone who may not write it: later, in order.
        this.options.logger?.warn('trail.send_failed', { status: status ?? null });
        return 'later';
      }
      // Refused for what it is (a 400): sending it again would never work and would hold back
      // every entry after it.
      this.options.logger?.error('trail.entry_refused', { status, action: entry.action });
      return 'refused';
    }
  }
}
