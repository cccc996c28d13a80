import { randomUUID } from 'node:crypto';
import { getReferenceString } from '@medplum/core';
import type { ActivityChange, ActivityEntry } from './activity-log';
import type { EngineContext } from './engine-context';
import { nowOf } from './engine-context';

type Detail = ActivityEntry['detail'];

const RECORD_REFERENCE = /^(Organization|Patient|Practitioner|ProjectMembership|Consent|AccessPolicy)\/[A-Za-z0-9\-.]{1,64}$/;

/** The part of the engine context that recording needs. */
export type ActivityContext = Pick<EngineContext, 'client' | 'activity' | 'clock' | 'logger' | 'activityTags'>;

/**
 * Runs one change and records it (ok or failed) in the context's activity sink. The detail may be
 * computed from the result (counts, new references). A failure to record is logged and never
 * hides the outcome of the change itself: a change that was made must not be reported as failed.
 */
export async function withActivity<T>(
  ctx: ActivityContext,
  action: string,
  targets: readonly string[],
  change: () => Promise<T>,
  detail?: (result: T) => Detail,
  /** The access change as references (before/after), so that it can be undone. */
  structured?: (result: T) => ActivityChange | undefined
): Promise<T> {
  let result: T;
  try {
    result = await change();
  } catch (err) {
    // The reason as a code (and the field it concerns): the administrator's sentence may hold names.
    const field = (err as { field?: unknown }).field;
    await record(ctx, action, targets, 'failed', { error: errorCode(err), ...(typeof field === 'string' ? { field } : {}) }).catch((e: unknown) =>
      logFailure(ctx, action, e)
    );
    throw err;
  }
  const facts = detail?.(result);
  // A record the change made (the new clinic, clinician, patient) is one of the entry's records.
  const made = Object.values(facts ?? {}).filter((value): value is string => typeof value === 'string' && RECORD_REFERENCE.test(value));
  await record(ctx, action, [...new Set([...targets, ...made])], 'ok', facts, structured?.(result)).catch((e: unknown) => logFailure(ctx, action, e));
  return result;
}

async function record(
  ctx: ActivityContext,
  action: string,
  targets: readonly string[],
  result: ActivityEntry['result'],
  detail: Detail,
  change?: ActivityChange
): Promise<void> {
  if (!ctx.activity) {
    return;
  }
  const profile = ctx.client.getProfile();
  const tags = ctx.activityTags;
  await ctx.activity.record({
    id: randomUUID(),
    time: nowOf(ctx).toISOString(),
    actor: (profile && getReferenceString(profile)) || 'unknown',
    action,
    targets,
    result,
    ...(detail ? { detail } : undefined),
    ...(change ? { change } : undefined),
    ...(tags?.importId ? { importId: tags.importId } : undefined),
    ...(tags?.undoes ? { undoes: tags.undoes } : undefined),
  });
}

function errorCode(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : err instanceof Error ? err.name : 'error';
}

function logFailure(ctx: ActivityContext, action: string, err: unknown): void {
  ctx.logger?.error('activity.record_failed', { action, error: err instanceof Error ? err.message : String(err) });
}
