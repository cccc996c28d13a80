import type { MedplumClient, MedplumRequestOptions } from '@medplum/core';
import type { AccessPolicy, Reference } from '@medplum/fhirtypes';
import type { Logger } from '../logging/logger';
import type { ActivitySink } from './activity-log';

/**
 * How clinicians with several clinics are given access (seed "Tenant Isolation Approaches"):
 * `shared` is one membership with one access entry per clinic (options 1 and 2: the UI may add
 * `_compartment` to narrow); `strict` is one labelled membership per clinic (option 3).
 */
export type IsolationMode = 'shared' | 'strict';

/** What every engine function works with; built once per connection. */
export interface EngineContext {
  /** Signed in as a project administrator of `projectId`. */
  readonly client: MedplumClient;
  readonly projectId: string;
  /** The installed MSO AccessPolicy: every clinician membership's base policy and access policy. */
  readonly msoPolicy: Reference<AccessPolicy>;
  /** Identifier system of this MSO's medical record numbers. */
  readonly mrnSystem: string;
  /** Default `shared`. */
  readonly isolation?: IsolationMode;
  /** Where each change is recorded; none means not recorded (tests, dry runs). */
  readonly activity?: ActivitySink;
  readonly clock?: () => Date;
  readonly logger?: Logger;
  /** Aborted when the session this context belongs to ends: long jobs over it stop then. */
  readonly sessionEnded?: AbortSignal;
  /** Marks every activity entry made through this context (an import's rows, an undo). */
  readonly activityTags?: { readonly importId?: string; readonly undoes?: string };
  /** Page size when reading whole lists; default 1000 (Medplum's largest). Tests make it small to cross pages. */
  readonly pageSize?: number;
}

/**
 * Options for reads that precede a write: not from MedplumClient's request cache. A new object
 * each call: MedplumClient writes the method, body and headers (the access token among them)
 * into the options it is given, so one shared object would carry one request's into the next.
 * (Node's RequestInit type has no `cache`, but MedplumClient reads it.)
 */
export function fresh(): MedplumRequestOptions {
  return { cache: 'no-cache' } as MedplumRequestOptions;
}

export function nowOf(ctx: Pick<EngineContext, 'clock'>): Date {
  return ctx.clock ? ctx.clock() : new Date();
}
