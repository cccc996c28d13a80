import type { MedplumClient, WithId } from '@medplum/core';
import { getReferenceString } from '@medplum/core';
import type { Bundle, Organization, Patient, Practitioner } from '@medplum/fhirtypes';
import { AppError } from '../errors/app-error';
import { clinicReference, clinicsOf } from './access-list';
import { allMemberships, batchGet, searchAll } from './all-pages';
import { NPI_SYSTEM } from './clinicians';
import type { EngineContext } from './engine-context';
import { fresh } from './engine-context';
import { toAppError } from './server-errors';

/** Medplum serves `_offset` up to 10,000; past that only cursor paging (used by searchAll) works. */
export const MAX_OFFSET = 10_000;
export const MAX_LIST_PAGE = 200;

/**
 * The search parameters for what an administrator typed: something with a digit is taken as an
 * identifier (MRN, NPI), anything else as a name (Medplum matches the start of any name part).
 */
export function searchParamsFor(text: string | undefined): Record<string, string> {
  const trimmed = text?.trim();
  if (!trimmed) {
    return {};
  }
  // Text with a digit is taken as an MRN. Medplum 5 matches identifier values only whole and with
  // their case (`:contains` and `:text` search a token's display text, not its value; `sw` is
  // refused), so the best it allows is the whole MRN as typed, in upper and in lower case, OR-ed.
  if (!/\d/.test(trimmed)) return { name: trimmed };
  const escaped = (value: string) => value.replace(/[\\,|$]/g, (character) => `\\${character}`);
  return { identifier: [...new Set([trimmed, trimmed.toUpperCase(), trimmed.toLowerCase()])].map(escaped).join(',') };
}

/** What a patient search matched, in plain words, for the line under the search box. */
export function describePatientSearch(text: string): string {
  const trimmed = text.trim();
  return /\d/.test(trimmed) ? `the whole MRN “${trimmed}”` : `a name starting with “${trimmed}”`;
}

/** Every patient of the clinic, over all pages; `search` narrows by name or identifier. */
export function allClinicPatients(ctx: EngineContext, clinicId: string, search?: string): Promise<WithId<Patient>[]> {
  return searchAll(
    ctx.client,
    'Patient',
    { _compartment: clinicReference(clinicId), ...searchParamsFor(search) },
    'read the clinic’s patients',
    ctx.pageSize
  );
}

export interface PatientPage {
  readonly patients: WithId<Patient>[];
  /** Every match, counted by the server in the same round trip. */
  readonly total: number;
  readonly offset: number;
  readonly count: number;
}

/** `name`: family then given (what the UI shows); `birthdate` (then family); `updated`: most recently changed first. */
export type PatientSort = 'name' | '-name' | 'birthdate' | '-birthdate' | 'updated';

export const PATIENT_SORT_PARAM: Record<PatientSort, string> = {
  name: 'family,given',
  '-name': '-family,-given',
  birthdate: 'birthdate,family',
  '-birthdate': '-birthdate,family',
  updated: '-_lastUpdated',
};

/**
 * One page of a clinic's patients with the total: a single request (`_total=accurate`), however
 * large the clinic. Sorted by name unless told otherwise (on the local sandbox, a name sort of a
 * very large clinic is slow; see docs/benchmarks.md).
 */
export async function listClinicPatients(
  client: MedplumClient,
  clinicId: string,
  page: { offset?: number; count?: number; search?: string; sort?: PatientSort } = {}
): Promise<PatientPage> {
  const offset = Math.max(0, Math.floor(page.offset ?? 0));
  const count = Math.min(MAX_LIST_PAGE, Math.max(1, Math.floor(page.count ?? 50)));
  if (offset + count > MAX_OFFSET) {
    throw new AppError(
      'invalid_argument',
      `The server pages through at most ${MAX_OFFSET.toLocaleString('en-US')} results. Search by name or MRN to narrow the list.`
    );
  }
  let bundle: Bundle<WithId<Patient>>;
  try {
    bundle = await client.search(
      'Patient',
      {
        _compartment: clinicReference(clinicId),
        ...searchParamsFor(page.search),
        _sort: PATIENT_SORT_PARAM[page.sort ?? 'name'],
        _count: String(count),
        _offset: String(offset),
        _total: 'accurate',
      },
      fresh()
    );
  } catch (err) {
    throw toAppError(err, 'list the clinic’s patients');
  }
  const patients = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is WithId<Patient> => !!r);
  return { patients, total: bundle.total ?? patients.length, offset, count };
}

export interface RosterClinician {
  readonly practitioner: WithId<Practitioner>;
  readonly npi?: string;
  /** Clinic references the clinician's memberships grant. */
  readonly clinics: string[];
  readonly memberships: string[];
}

/** Every clinician enrolled in the clinic (memberships over all pages), with their other clinics. */
export async function allClinicClinicians(ctx: EngineContext, clinicId: string, search?: string): Promise<RosterClinician[]> {
  const roster = await clinicianRoster(ctx);
  const clinic = clinicReference(clinicId);
  return filterBySearch(roster.filter((c) => c.clinics.includes(clinic)), search);
}

export interface DirectoryEntry extends RosterClinician {
  /** The clinics by id and name, for badges. */
  readonly clinicNames: { readonly reference: string; readonly name: string }[];
}

/**
 * The provider directory: every clinician of the MSO (a Practitioner with a non-admin membership,
 * or with none yet) and their clinics by name.
 */
export async function providerDirectory(ctx: EngineContext, search?: string): Promise<DirectoryEntry[]> {
  const [roster, practitioners, clinics] = await Promise.all([
    clinicianRoster(ctx),
    searchAll(ctx.client, 'Practitioner', searchParamsFor(search), 'read the clinicians', ctx.pageSize),
    searchAll(ctx.client, 'Organization', {}, 'read the clinics', ctx.pageSize),
  ]);
  const names = new Map(clinics.map((c) => [getReferenceString(c), c.name ?? getReferenceString(c)]));
  const adminProfiles = new Set(roster.filter((r) => r.memberships.length === 0).map((r) => r.practitioner.id));
  const enrolled = new Map(roster.map((r) => [r.practitioner.id, r]));
  const entries: DirectoryEntry[] = [];
  for (const practitioner of practitioners) {
    if (adminProfiles.has(practitioner.id)) {
      continue;
    }
    const found = enrolled.get(practitioner.id);
    const clinicRefs = found?.clinics ?? [];
    entries.push({
      practitioner,
      ...(npiOf(practitioner) ? { npi: npiOf(practitioner) } : {}),
      clinics: clinicRefs,
      memberships: found?.memberships ?? [],
      clinicNames: clinicRefs.map((reference) => ({ reference, name: names.get(reference) ?? reference })),
    });
  }
  return entries.sort((a, b) => sortName(a.practitioner).localeCompare(sortName(b.practitioner)));
}

/**
 * Each Practitioner profile with a membership, by reference, with the clinics its non-admin
 * memberships grant and those memberships' ids (admin profiles come with none): one read of the
 * memberships, no Practitioner read.
 */
export async function clinicianMemberships(ctx: EngineContext): Promise<Map<string, { clinics: Set<string>; memberships: string[] }>> {
  const memberships = await allMemberships(ctx.client, ctx.pageSize);
  const byProfile = new Map<string, { clinics: Set<string>; memberships: string[] }>();
  for (const m of memberships) {
    const profile = m.profile?.reference;
    if (!profile?.startsWith('Practitioner/')) {
      continue;
    }
    const row = byProfile.get(profile) ?? { clinics: new Set<string>(), memberships: [] };
    if (!m.admin) {
      clinicsOf(m).forEach((c) => row.clinics.add(c));
      row.memberships.push(m.id);
    }
    byProfile.set(profile, row);
  }
  return byProfile;
}

/**
 * Every Practitioner profile with a membership, with the clinics its memberships grant. Admin
 * profiles come back with no memberships listed, so callers can leave them out.
 */
export async function clinicianRoster(ctx: EngineContext): Promise<RosterClinician[]> {
  const byProfile = await clinicianMemberships(ctx);
  const practitioners = await readPractitioners(ctx, [...byProfile.keys()]);
  return practitioners.map((practitioner) => {
    const row = byProfile.get(getReferenceString(practitioner)) ?? { clinics: new Set<string>(), memberships: [] };
    return {
      practitioner,
      ...(npiOf(practitioner) ? { npi: npiOf(practitioner) } : {}),
      clinics: [...row.clinics],
      memberships: row.memberships,
    };
  });
}

/** Practitioners by reference, 100 ids per search, those searches batched. */
async function readPractitioners(ctx: EngineContext, references: readonly string[]): Promise<WithId<Practitioner>[]> {
  const ids = references.map((r) => r.split('/')[1]).filter((id): id is string => !!id);
  const urls: string[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    urls.push(`Practitioner?_id=${chunk.join(',')}&_count=${chunk.length}`);
  }
  const bundles = await batchGet<Bundle<WithId<Practitioner>>>(ctx.client, urls, 'read the clinicians');
  return bundles.flatMap((b) => (b.entry ?? []).map((e) => e.resource).filter((r): r is WithId<Practitioner> => !!r));
}

function filterBySearch<T extends RosterClinician>(rows: T[], search: string | undefined): T[] {
  const text = search?.trim().toLowerCase();
  if (!text) {
    return rows;
  }
  return rows.filter(
    (r) =>
      r.practitioner.identifier?.some((i) => i.value?.toLowerCase() === text) ||
      r.practitioner.name?.some((n) => [...(n.given ?? []), n.family ?? ''].some((part) => part.toLowerCase().startsWith(text)))
  );
}

function npiOf(practitioner: Practitioner): string | undefined {
  return practitioner.identifier?.find((i) => i.system === NPI_SYSTEM)?.value;
}

function sortName(p: Practitioner): string {
  const name = p.name?.[0];
  return `${name?.family ?? ''} ${name?.given?.join(' ') ?? ''}`.trim().toLowerCase();
}

/** For a clinic page header: the clinic itself, fresh. */
export async function readClinic(ctx: EngineContext, clinicId: string): Promise<WithId<Organization>> {
  try {
    return await ctx.client.readResource('Organization', clinicId, fresh());
  } catch (err) {
    throw toAppError(err, 'read the clinic');
  }
}

