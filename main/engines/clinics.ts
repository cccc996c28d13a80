import type { WithId } from '@medplum/core';
import type { Bundle, Identifier, Organization } from '@medplum/fhirtypes';
import { AppError } from '../errors/app-error';
import { clinicsOf } from './access-list';
import { allMemberships, batchGet, searchAll } from './all-pages';
import type { EngineContext } from './engine-context';
import { fresh } from './engine-context';
import { withActivity } from './record-activity';
import { toAppError } from './server-errors';
import { updateWithRetry } from './update-with-retry';
import { clinicNameKey } from '../../preload/api/roster/rules';

export interface NewClinic {
  readonly name: string;
  readonly identifiers?: readonly Identifier[];
}

export async function createClinic(ctx: EngineContext, input: NewClinic): Promise<WithId<Organization>> {
  const name = requireName(input.name);
  return withActivity(ctx, 'clinic.create', [], async () => {
    await refuseTakenName(ctx, name);
    try {
      return await ctx.client.createResource<Organization>({
        resourceType: 'Organization',
        name,
        active: true,
        ...(input.identifiers?.length ? { identifier: [...input.identifiers] } : undefined),
      });
    } catch (err) {
      throw toAppError(err, 'create the clinic');
    }
  }, (clinic) => ({ clinic: `Organization/${clinic.id}` }));
}

export async function renameClinic(ctx: EngineContext, clinicId: string, name: string): Promise<WithId<Organization>> {
  const newName = requireName(name);
  await refuseTakenName(ctx, newName, clinicId);
  return editClinic(ctx, clinicId, 'clinic.rename', 'rename the clinic', (c) => ({ ...c, name: newName }));
}

// How clinic names are compared: one rule for the engines, the roster import and the screens.
export { clinicNameKey };

/**
 * Every clinic picker and the roster import name clinics by name, so two clinics may not share
 * one (after trimming and case-folding). Read from the server, never from a cache.
 */
async function refuseTakenName(ctx: EngineContext, name: string, exceptClinicId?: string): Promise<void> {
  const key = clinicNameKey(name);
  const clinics = await searchAll(ctx.client, 'Organization', {}, 'check the clinic names', ctx.pageSize);
  const taken = clinics.find((clinic) => clinic.id !== exceptClinicId && clinicNameKey(clinic.name ?? '') === key);
  if (taken) {
    throw new AppError(
      'conflict',
      `Another clinic is already called “${taken.name ?? name}”. Clinic pickers and roster files name clinics by name, so choose a name that tells them apart.`,
      `Organization/${taken.id}`,
      'name'
    );
  }
}

/** Marks the clinic inactive. Enrollments are left as they are: unenroll people separately. */
export function deactivateClinic(ctx: EngineContext, clinicId: string): Promise<WithId<Organization>> {
  return editClinic(ctx, clinicId, 'clinic.deactivate', 'deactivate the clinic', (c) => ({ ...c, active: false }));
}

export function reactivateClinic(ctx: EngineContext, clinicId: string): Promise<WithId<Organization>> {
  return editClinic(ctx, clinicId, 'clinic.reactivate', 'reactivate the clinic', (c) => ({ ...c, active: true }));
}

export function addClinicIdentifier(ctx: EngineContext, clinicId: string, identifier: Identifier): Promise<WithId<Organization>> {
  if (!identifier.system || !identifier.value) {
    throw new AppError('invalid_argument', 'An identifier needs both a system and a value.');
  }
  return editClinic(ctx, clinicId, 'clinic.add-identifier', 'add the identifier', (c) =>
    (c.identifier ?? []).some((i) => sameIdentifier(i, identifier)) ? c : { ...c, identifier: [...(c.identifier ?? []), identifier] }
  );
}

export function removeClinicIdentifier(ctx: EngineContext, clinicId: string, identifier: Identifier): Promise<WithId<Organization>> {
  return editClinic(ctx, clinicId, 'clinic.remove-identifier', 'remove the identifier', (c) => {
    const kept = (c.identifier ?? []).filter((i) => !sameIdentifier(i, identifier));
    if (kept.length === (c.identifier ?? []).length) {
      return c;
    }
    const { identifier: _removed, ...rest } = c;
    return kept.length ? { ...rest, identifier: kept } : rest;
  });
}

async function editClinic(
  ctx: EngineContext,
  clinicId: string,
  action: string,
  words: string,
  change: (clinic: WithId<Organization>) => WithId<Organization>
): Promise<WithId<Organization>> {
  const result = await withActivity(
    ctx,
    action,
    [`Organization/${clinicId}`],
    () => updateWithRetry(ctx.client, 'Organization', clinicId, change, words),
    (r) => ({ written: r.written })
  );
  return result.resource;
}

export interface ClinicSummary {
  readonly clinic: WithId<Organization>;
  /** Clinicians (distinct profiles) with a membership that grants this clinic. */
  readonly clinicianCount: number;
  /** Patients whose accounts hold the clinic, counted by the server. */
  readonly patientCount: number;
}

/**
 * Every clinic with its counts. Memberships are read once over all pages (the server cannot
 * search inside `access`); patients are counted server-side (`_summary=count`), all clinics in
 * one batch round trip per 50 clinics, never by fetching patients.
 */
export async function listClinics(ctx: EngineContext): Promise<ClinicSummary[]> {
  const [clinics, memberships] = await Promise.all([
    searchAll(ctx.client, 'Organization', {}, 'read the clinics', ctx.pageSize),
    allMemberships(ctx.client, ctx.pageSize),
  ]);
  const clinicians = new Map<string, Set<string>>();
  for (const membership of memberships) {
    const profile = membership.profile?.reference;
    if (!profile || membership.admin) {
      continue;
    }
    for (const clinic of clinicsOf(membership)) {
      const set = clinicians.get(clinic) ?? new Set<string>();
      set.add(profile);
      clinicians.set(clinic, set);
    }
  }
  const counts = await batchGet<Bundle>(
    ctx.client,
    clinics.map((c) => `Patient?_compartment=Organization/${c.id}&_summary=count`),
    'count the patients of each clinic'
  );
  return clinics
    .map((clinic, i) => ({
      clinic,
      clinicianCount: clinicians.get(`Organization/${clinic.id}`)?.size ?? 0,
      patientCount: counts[i]?.total ?? 0,
    }))
    .sort((a, b) => (a.clinic.name ?? '').localeCompare(b.clinic.name ?? ''));
}

/** One clinic's patient count, server-side. */
export async function countClinicPatients(ctx: Pick<EngineContext, 'client'>, clinicId: string): Promise<number> {
  try {
    const bundle = await ctx.client.search('Patient', { _compartment: `Organization/${clinicId}`, _summary: 'count' }, fresh());
    return bundle.total ?? 0;
  } catch (err) {
    throw toAppError(err, 'count the patients of the clinic');
  }
}

function requireName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) {
    throw new AppError('invalid_argument', 'A clinic needs a name.');
  }
  return trimmed;
}

function sameIdentifier(a: Identifier, b: Identifier): boolean {
  return a.system === b.system && a.value === b.value;
}
