/**
 * The people a roster names, looked up with few, cheap searches: many identifiers (or emails)
 * OR-ed in one search cost what one search costs. Chunks keep each URL well under the servers'
 * header limits.
 */
import type { WithId } from '@medplum/core';
import type { Bundle, Patient, Practitioner, ProjectMembership } from '@medplum/fhirtypes';
import { searchAll } from '../../engines/all-pages';
import { withRetries } from '../apply/with-retries';
import { NPI_SYSTEM } from '../../engines/clinicians';
import type { EngineContext } from '../../engines/engine-context';
import { toAppError } from '../../engines/server-errors';
import { escapedToken, identifierListQuery, tokenListQuery } from '../../engines/identifier-query';

/**
 * Identifiers per search: about 5 kB of URL for typical MRNs, 12 kB with 64-character ones, under
 * Node's 16 kB limit for a request's head (Medplum's and ours). At 100 a 10,000-row roster is
 * looked up in 100 searches, as many as its create batches.
 */
export const LOOKUP_CHUNK = 100;
/** Look-up searches in flight at once (reads: 20 points each, no conflicts). */
export const LOOKUP_CONCURRENCY = 4;

export function chunks<T>(items: readonly T[], size = LOOKUP_CHUNK): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

function queryOf(query: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(query));
}

export function mrnKey(system: string, value: string): string {
  return `${system}|${value}`;
}

/**
 * MRNs per patient look-up: one search sent as a form (`POST Patient/_search`), so no URL limit
 * applies. Five times fewer searches than 100 a URL: a 10,000-row roster is looked up in 20
 * requests, each costing what one search costs, and the server's fixed work per request is paid
 * 20 times instead of 100 (bench/lookup-patients.ts, docs/benchmarks.md).
 */
export const PATIENT_LOOKUP_CHUNK = 500;

/** One answer holds every match (one patient per MRN, a few more where an MRN is shared). */
const LOOKUP_PAGE = 1000;

/** Under Medplum's 100 kB limit for a form body (body-parser's default), with room to spare. */
const MAX_FORM_BYTES = 64 * 1024;

async function searchByForm(ctx: EngineContext, mrns: readonly { system: string; value: string }[]): Promise<WithId<Patient>[] | undefined> {
  const body = `${identifierListQuery(mrns)}&_count=${LOOKUP_PAGE}`;
  // Long systems or MRNs (non-ASCII ones are percent-encoded): URL-sized searches instead.
  if (Buffer.byteLength(body) > MAX_FORM_BYTES) return undefined;
  let bundle: Bundle<WithId<Patient>>;
  try {
    // No options: MedplumClient writes the method, body and headers into the options it is given
    // (a POST is not cached anyway).
    bundle = await ctx.client.post(ctx.client.fhirUrl('Patient', '_search'), body, 'application/x-www-form-urlencoded');
  } catch (err) {
    throw toAppError(err, 'look up the roster’s patients');
  }
  // More matches than one page: read in URL-sized chunks instead (their pages are plain links).
  if (bundle.link?.some((link) => link.relation === 'next')) return undefined;
  return (bundle.entry ?? []).flatMap((entry) => (entry.resource?.resourceType === 'Patient' ? [entry.resource] : []));
}

/**
 * One look-up: the patients of up to PATIENT_LOOKUP_CHUNK MRNs, by `system|mrn`. More than one
 * patient under a key is for the caller to refuse.
 */
export async function findPatientsByMrn(
  ctx: EngineContext,
  mrns: readonly { system: string; value: string }[],
  signal?: AbortSignal,
): Promise<Map<string, WithId<Patient>[]>> {
  const found = new Map<string, WithId<Patient>[]>();
  const wanted = new Set(mrns.map((mrn) => mrnKey(mrn.system, mrn.value)));
  let patients = await withRetries(() => searchByForm(ctx, mrns), signal);
  if (!patients) {
    // One after another: the caller paced one search, and nothing is left running if one fails.
    patients = [];
    for (const chunk of chunks(mrns)) {
      patients.push(...(await withRetries(() => searchAll(ctx.client, 'Patient', queryOf(identifierListQuery(chunk)), 'look up the roster’s patients', ctx.pageSize), signal)));
    }
  }
  for (const patient of patients) {
    for (const identifier of patient.identifier ?? []) {
      const key = mrnKey(identifier.system ?? '', identifier.value ?? '');
      if (!wanted.has(key)) continue;
      const list = found.get(key) ?? [];
      if (!list.some((other) => other.id === patient.id)) list.push(patient);
      found.set(key, list);
    }
  }
  return found;
}

export interface ExistingPractitioners {
  readonly byNpi: Map<string, WithId<Practitioner>[]>;
  readonly byEmail: Map<string, WithId<Practitioner>[]>;
  /** This project's memberships of each found practitioner, by practitioner id. */
  readonly memberships: Map<string, WithId<ProjectMembership>[]>;
  /** Searches made (one per chunk). */
  readonly searches: number;
}

function emailsOf(practitioner: Practitioner): string[] {
  return (practitioner.telecom ?? []).filter((telecom) => telecom.system === 'email' && telecom.value).map((telecom) => (telecom.value as string).toLowerCase());
}

export async function findPractitioners(ctx: EngineContext, npis: readonly string[], emails: readonly string[]): Promise<ExistingPractitioners> {
  let searches = 0;
  const byNpi = new Map<string, WithId<Practitioner>[]>();
  const byEmail = new Map<string, WithId<Practitioner>[]>();
  const all = new Map<string, WithId<Practitioner>>();
  const add = (map: Map<string, WithId<Practitioner>[]>, key: string, practitioner: WithId<Practitioner>) => {
    const list = map.get(key) ?? [];
    if (!list.some((other) => other.id === practitioner.id)) list.push(practitioner);
    map.set(key, list);
    all.set(practitioner.id, practitioner);
  };
  const wantedNpis = new Set(npis);
  for (const chunk of chunks(npis)) {
    searches++;
    const query = identifierListQuery(chunk.map((value) => ({ system: NPI_SYSTEM, value })));
    for (const practitioner of await withRetries(() => searchAll(ctx.client, 'Practitioner', queryOf(query), 'look up the roster’s clinicians', ctx.pageSize))) {
      for (const identifier of practitioner.identifier ?? []) {
        if (identifier.system === NPI_SYSTEM && identifier.value && wantedNpis.has(identifier.value)) add(byNpi, identifier.value, practitioner);
      }
    }
  }
  const wantedEmails = new Set(emails);
  for (const chunk of chunks(emails)) {
    searches++;
    const query = tokenListQuery('email', chunk.map(escapedToken));
    for (const practitioner of await withRetries(() => searchAll(ctx.client, 'Practitioner', queryOf(query), 'look up the roster’s clinicians', ctx.pageSize))) {
      for (const email of emailsOf(practitioner)) if (wantedEmails.has(email)) add(byEmail, email, practitioner);
    }
  }
  const memberships = new Map<string, WithId<ProjectMembership>[]>();
  for (const chunk of chunks([...all.keys()])) {
    searches++;
    const query = tokenListQuery('profile', chunk.map((id) => `Practitioner/${id}`));
    for (const membership of await withRetries(() => searchAll(ctx.client, 'ProjectMembership', queryOf(query), 'read the clinicians’ memberships', ctx.pageSize))) {
      const profile = membership.profile?.reference ?? '';
      // The search narrows; the profile and project are checked here.
      if (!profile.startsWith('Practitioner/') || membership.project?.reference !== `Project/${ctx.projectId}`) continue;
      const id = profile.slice('Practitioner/'.length);
      if (!all.has(id)) continue;
      memberships.set(id, [...(memberships.get(id) ?? []), membership]);
    }
  }
  return { byNpi, byEmail, memberships, searches };
}
