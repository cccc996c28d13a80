import type { MedplumClient, WithId } from '@medplum/core';
import { deepEquals } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { AppError } from '../errors/app-error';
import { fresh } from './engine-context';
import { isPreconditionFailed, toAppError } from './server-errors';

export const MAX_ATTEMPTS = 8;

export interface UpdateResult<T> {
  readonly resource: WithId<T>;
  /** False when the change was already in place (nothing written). */
  readonly written: boolean;
  /** The version the change was applied to (the one replaced, when written). */
  readonly previous: WithId<T>;
  readonly attempts: number;
}

/**
 * Read-modify-write with `If-Match`: read the current version, apply `change`, PUT it only if
 * nobody wrote in between; on 412 read again and re-apply (so a change another administrator
 * made meanwhile is kept, not overwritten). `change` must be a pure edit of what it is given.
 */
export async function updateWithRetry<T extends Resource>(
  client: MedplumClient,
  resourceType: T['resourceType'],
  id: string,
  change: (current: WithId<T>) => WithId<T>,
  action: string
): Promise<UpdateResult<T>> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    let current: WithId<T>;
    try {
      current = (await client.readResource(resourceType, id, fresh())) as unknown as WithId<T>;
    } catch (err) {
      throw toAppError(err, action);
    }
    const next = change(structuredClone(current));
    if (deepEquals(next, current)) {
      return { resource: current, written: false, previous: current, attempts: attempt };
    }
    const versionId = current.meta?.versionId;
    try {
      const resource = await client.updateResource<T>(next, {
        headers: versionId ? { 'If-Match': `W/"${versionId}"` } : {},
      });
      return { resource: resource as WithId<T>, written: true, previous: current, attempts: attempt };
    } catch (err) {
      if (!isPreconditionFailed(err)) {
        throw toAppError(err, action);
      }
      // Someone wrote first: go round again on their version, after a short random pause so
      // that writers racing for the same record do not keep colliding.
      await pause(attempt);
    }
  }
  throw new AppError(
    'conflict',
    `Could not ${action}: the record kept changing while we tried (${MAX_ATTEMPTS} attempts). Wait a moment and try again.`
  );
}

/** A random pause that grows with the attempt: 0–20 ms, then 0–40 ms, ... */
export function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
}
