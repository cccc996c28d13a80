import type { WithId } from '@medplum/core';
import { getReferenceString } from '@medplum/core';
import type { Organization, Practitioner, ProjectMembership, Reference, User } from '@medplum/fhirtypes';
import { AppError } from '../ipc/app-error';
import { accessEntry, clinicReference, clinicsOf, labelOf, withClinic, withLabel, withoutClinic } from './access-list';
import { searchAll } from './all-pages';
import type { EngineContext } from './engine-context';
import { FRESH } from './engine-context';
import { withActivity } from './record-activity';
import { identifierQuery } from './identifier-query';
import { isNotFoundError, toAppError } from './server-errors';
import { updateWithRetry } from './update-with-retry';

export const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';

/** The label of a strict-mode membership that no longer grants any clinic. */
export const NO_CLINIC_LABEL = 'No clinic';

export interface NewClinician {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly npi?: string;
  readonly clinicIds: readonly string[];
  /** Medplum sends the invitation email (not on the local sandbox). */
  readonly sendEmail?: boolean;
  /** Only for a local sandbox or tests; a real MSO lets the invitation email set it. */
  readonly password?: string;
}

export interface ClinicianAccount {
  readonly practitioner: WithId<Practitioner>;
  readonly memberships: WithId<ProjectMembership>[];
}

/**
 * Creates the Practitioner (name, NPI, email) and a project-scoped sign-in whose membership points
 * at it, with the MSO policy as base policy and one access entry per clinic. In strict isolation,
 * one labelled membership per clinic instead (`forceNewMembership` after the first).
 */
export async function createClinician(ctx: EngineContext, input: NewClinician): Promise<ClinicianAccount> {
  validateClinician(input);
  const clinics = await readClinics(ctx, input.clinicIds);
  return withActivity(ctx, 'clinician.create', clinics.map((c) => getReferenceString(c)), async () => {
    const practitioner = await createPractitioner(ctx, input);
    const person = { firstName: input.firstName.trim(), lastName: input.lastName.trim(), email: normalizeEmail(input.email) };
    const memberships: WithId<ProjectMembership>[] = [];
    if (isStrict(ctx)) {
      const groups = clinics.length ? clinics.map((c) => [c]) : [[]];
      for (const group of groups) {
        memberships.push(
          await invite(ctx, practitioner, person, group, { forceNew: memberships.length > 0, password: input.password, sendEmail: input.sendEmail })
        );
      }
    } else {
      memberships.push(await invite(ctx, practitioner, person, clinics, { forceNew: false, password: input.password, sendEmail: input.sendEmail }));
    }
    return { practitioner, memberships };
  }, (account) => ({ practitioner: `Practitioner/${account.practitioner.id}`, memberships: account.memberships.length }));
}

export interface ClinicChange {
  readonly enroll?: readonly string[];
  readonly unenroll?: readonly string[];
}

/**
 * Enrolls and unenrolls a clinician in one go. Shared mode: one read-modify-write of the
 * membership with If-Match (a change made meanwhile by someone else is re-read and kept). Strict
 * mode: a new labelled membership per added clinic; a removed clinic's membership is deleted, or
 * emptied (base policy kept, so it sees nothing) when it is the clinician's last one.
 */
export async function changeClinicianClinics(
  ctx: EngineContext,
  practitionerId: string,
  change: ClinicChange
): Promise<WithId<ProjectMembership>[]> {
  const enroll = (change.enroll ?? []).map(clinicReference);
  const unenroll = (change.unenroll ?? []).map(clinicReference).filter((c) => !enroll.includes(c));
  const action = enroll.length && !unenroll.length ? 'clinician.enroll' : !enroll.length ? 'clinician.unenroll' : 'clinician.change-clinics';
  const clinics = await readClinics(ctx, change.enroll ?? []);
  return withActivity(
    ctx,
    action,
    [`Practitioner/${practitionerId}`, ...enroll, ...unenroll],
    () => (isStrict(ctx) ? changeStrict(ctx, practitionerId, clinics, unenroll) : changeShared(ctx, practitionerId, clinics, unenroll)),
    (memberships) => ({ memberships: memberships.length })
  );
}

export function enrollClinician(ctx: EngineContext, practitionerId: string, clinicId: string): Promise<WithId<ProjectMembership>[]> {
  return changeClinicianClinics(ctx, practitionerId, { enroll: [clinicId] });
}

export function unenrollClinician(ctx: EngineContext, practitionerId: string, clinicId: string): Promise<WithId<ProjectMembership>[]> {
  return changeClinicianClinics(ctx, practitionerId, { unenroll: [clinicId] });
}

async function changeShared(
  ctx: EngineContext,
  practitionerId: string,
  enroll: readonly WithId<Organization>[],
  unenroll: readonly string[]
): Promise<WithId<ProjectMembership>[]> {
  const memberships = await requireMemberships(ctx, practitionerId);
  const results: WithId<ProjectMembership>[] = [];
  // Clinics are added to the first membership; removed from every membership that has them.
  for (const [index, membership] of memberships.entries()) {
    const result = await updateWithRetry<ProjectMembership>(
      ctx.client,
      'ProjectMembership',
      membership.id,
      (current) => {
        let next: ProjectMembership = current;
        if (index === 0) {
          for (const clinic of enroll) {
            next = withClinic(next, ctx.msoPolicy, clinicRef(clinic));
          }
        }
        for (const clinic of unenroll) {
          next = withoutClinic(next, ctx.msoPolicy, clinic);
        }
        return next as WithId<ProjectMembership>;
      },
      'change the clinician’s clinics'
    );
    results.push(result.resource);
  }
  return results;
}

async function changeStrict(
  ctx: EngineContext,
  practitionerId: string,
  enroll: readonly WithId<Organization>[],
  unenroll: readonly string[]
): Promise<WithId<ProjectMembership>[]> {
  let memberships = await requireMemberships(ctx, practitionerId);
  for (const clinic of enroll) {
    const ref = getReferenceString(clinic);
    if (memberships.some((m) => clinicsOf(m).includes(ref))) {
      continue;
    }
    const empty = memberships.find((m) => clinicsOf(m).length === 0);
    if (empty) {
      await updateWithRetry<ProjectMembership>(ctx.client, 'ProjectMembership', empty.id, (current) =>
        withLabel(withClinic(current, ctx.msoPolicy, clinicRef(clinic)), labelFor(clinic)) as WithId<ProjectMembership>,
      'enroll the clinician');
    } else {
      const practitioner = await ctx.client.readResource('Practitioner', practitionerId, FRESH);
      const person = await personOf(ctx, practitioner, memberships);
      await invite(ctx, practitioner, person, [clinic], { forceNew: true });
    }
    memberships = await requireMemberships(ctx, practitionerId);
  }
  for (const clinic of unenroll) {
    for (const membership of memberships.filter((m) => clinicsOf(m).includes(clinic))) {
      const others = memberships.filter((m) => m.id !== membership.id);
      if (others.length > 0 && clinicsOf(membership).length === 1) {
        await deleteMembership(ctx, membership.id);
      } else {
        await updateWithRetry<ProjectMembership>(ctx.client, 'ProjectMembership', membership.id, (current) => {
          const next = withoutClinic(current, ctx.msoPolicy, clinic);
          return (clinicsOf(next).length ? next : withLabel(next, NO_CLINIC_LABEL)) as WithId<ProjectMembership>;
        }, 'unenroll the clinician');
      }
      memberships = await requireMemberships(ctx, practitionerId);
    }
  }
  return memberships;
}

async function deleteMembership(ctx: EngineContext, membershipId: string): Promise<void> {
  try {
    await ctx.client.delete(`admin/projects/${ctx.projectId}/members/${membershipId}`);
  } catch (err) {
    if (!isNotFoundError(err)) {
      throw toAppError(err, 'remove the clinician’s membership for that clinic');
    }
  }
}

/** The clinician's memberships in this project (oldest first). */
export async function clinicianMemberships(ctx: EngineContext, practitionerId: string): Promise<WithId<ProjectMembership>[]> {
  const profile = `Practitioner/${practitionerId}`;
  const found = await searchAll(ctx.client, 'ProjectMembership', { profile }, 'read the clinician’s memberships', ctx.pageSize);
  // The search parameter is trusted for narrowing only; the profile is checked here.
  return found.filter((m) => m.profile?.reference === profile && m.project?.reference === `Project/${ctx.projectId}`);
}

async function requireMemberships(ctx: EngineContext, practitionerId: string): Promise<WithId<ProjectMembership>[]> {
  const memberships = await clinicianMemberships(ctx, practitionerId);
  if (!memberships.length) {
    throw new AppError('not_found', 'This clinician has no sign-in in this project yet. Invite them first, then enroll them.');
  }
  return memberships;
}

export interface SignInStatus {
  /** `none`: never invited; `active`: can sign in; `inactive`: every membership switched off. */
  readonly state: 'none' | 'active' | 'inactive';
  readonly memberships: {
    readonly id: string;
    readonly label?: string;
    readonly clinics: string[];
    readonly active: boolean;
    readonly hasUser: boolean;
    /** False would mean a membership that, emptied of clinics, sees the whole project. */
    readonly hasBasePolicy: boolean;
  }[];
}

export async function clinicianSignInStatus(ctx: EngineContext, practitionerId: string): Promise<SignInStatus> {
  const memberships = await clinicianMemberships(ctx, practitionerId);
  const rows = await Promise.all(
    memberships.map(async (m) => ({
      id: m.id,
      ...(labelOf(m) ? { label: labelOf(m) } : {}),
      clinics: clinicsOf(m),
      active: m.active !== false,
      hasUser: await userExists(ctx, m.user),
      hasBasePolicy: m.accessPolicy?.reference === ctx.msoPolicy.reference,
    }))
  );
  const state = rows.length === 0 ? 'none' : rows.some((r) => r.active && r.hasUser) ? 'active' : 'inactive';
  return { state, memberships: rows };
}

async function userExists(ctx: EngineContext, user: Reference | undefined): Promise<boolean> {
  if (!user?.reference) {
    return false;
  }
  try {
    await ctx.client.readReference(user as Reference<User>, FRESH);
    return true;
  } catch (err) {
    if (isNotFoundError(err)) {
      return false;
    }
    throw toAppError(err, 'read the clinician’s sign-in');
  }
}

interface Person {
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
}

async function invite(
  ctx: EngineContext,
  practitioner: WithId<Practitioner>,
  person: Person,
  clinics: readonly WithId<Organization>[],
  options: { forceNew: boolean; password?: string; sendEmail?: boolean }
): Promise<WithId<ProjectMembership>> {
  const membership: Partial<ProjectMembership> = {
    profile: { reference: getReferenceString(practitioner) } as ProjectMembership['profile'],
    // The base policy: with every clinic later removed, the membership still sees nothing.
    accessPolicy: { reference: ctx.msoPolicy.reference },
    access: clinics.map((c) => accessEntry(ctx.msoPolicy, clinicRef(c))),
  };
  if (isStrict(ctx)) {
    membership.identifier = [{ system: 'https://medplum.com/identifier/label', value: clinics[0] ? labelFor(clinics[0]) : NO_CLINIC_LABEL }];
  }
  let result: ProjectMembership | { resourceType: 'OperationOutcome' };
  try {
    // Never `upsert`: on Medplum it replaces `access` and drops the base policy.
    result = await ctx.client.invite(ctx.projectId, {
      resourceType: 'Practitioner',
      firstName: person.firstName,
      lastName: person.lastName,
      email: person.email,
      sendEmail: options.sendEmail ?? false,
      scope: 'project',
      ...(options.password ? { password: options.password } : {}),
      ...(options.forceNew ? { forceNewMembership: true } : {}),
      membership,
    } as Parameters<typeof ctx.client.invite>[1]);
  } catch (err) {
    throw toAppError(err, 'invite the clinician');
  }
  if (result.resourceType !== 'ProjectMembership') {
    throw new AppError('server_error', 'The server did not create the clinician’s sign-in. See Details.', JSON.stringify(result).slice(0, 500));
  }
  return result as WithId<ProjectMembership>;
}

async function createPractitioner(ctx: EngineContext, input: NewClinician): Promise<WithId<Practitioner>> {
  const practitioner: Practitioner = {
    resourceType: 'Practitioner',
    name: [{ given: [input.firstName.trim()], family: input.lastName.trim() }],
    telecom: [{ system: 'email', use: 'work', value: normalizeEmail(input.email) }],
    ...(input.npi ? { identifier: [{ system: NPI_SYSTEM, value: input.npi.trim() }] } : {}),
  };
  let created: WithId<Practitioner>;
  try {
    // Keyed by NPI so a retried create does not make a second Practitioner.
    created = input.npi
      ? await ctx.client.createResourceIfNoneExist(practitioner, identifierQuery(NPI_SYSTEM, input.npi.trim()))
      : await ctx.client.createResource(practitioner);
  } catch (err) {
    throw toAppError(err, 'create the clinician');
  }
  // An existing clinician with this NPI comes back; only a retry of this same invite may go on,
  // or someone else's sign-in would be attached to them.
  const email = created.telecom?.find((t) => t.system === 'email')?.value;
  if (email !== undefined && normalizeEmail(email) !== normalizeEmail(input.email)) {
    throw new AppError(
      'conflict',
      'A clinician with this NPI already exists in the project, with another email. Open them from Clinicians to change their clinics instead of inviting them again.'
    );
  }
  return created;
}

/** The invite fields of an existing clinician: the sign-in's own email first (it is the login). */
async function personOf(ctx: EngineContext, practitioner: Practitioner, memberships: ProjectMembership[]): Promise<Person> {
  const name = practitioner.name?.[0];
  let email = practitioner.telecom?.find((t) => t.system === 'email')?.value;
  const user = memberships.find((m) => m.user?.reference)?.user;
  if (user) {
    email = ((await ctx.client.readReference(user as Reference<User>, FRESH)) as User).email ?? email;
  }
  if (!email) {
    throw new AppError('invalid_argument', 'This clinician has no email address, so no sign-in can be made. Add one first.');
  }
  return { firstName: name?.given?.[0] ?? 'Clinician', lastName: name?.family ?? 'Clinician', email };
}

async function readClinics(ctx: EngineContext, clinicIds: readonly string[]): Promise<WithId<Organization>[]> {
  return Promise.all(
    [...new Set(clinicIds)].map(async (id) => {
      try {
        return await ctx.client.readResource('Organization', id, FRESH);
      } catch (err) {
        throw toAppError(err, 'find the clinic');
      }
    })
  );
}

function clinicRef(clinic: WithId<Organization>): Reference<Organization> {
  return { reference: getReferenceString(clinic), ...(clinic.name ? { display: clinic.name } : {}) };
}

function labelFor(clinic: WithId<Organization>): string {
  return clinic.name ?? getReferenceString(clinic);
}

function isStrict(ctx: EngineContext): boolean {
  return ctx.isolation === 'strict';
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function validateClinician(input: NewClinician): void {
  if (!input.firstName.trim() || !input.lastName.trim()) {
    throw new AppError('invalid_argument', 'A clinician needs a first and a last name.');
  }
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email.trim())) {
    throw new AppError('invalid_argument', 'A clinician needs a valid email address: it is how they sign in.');
  }
  if (input.npi !== undefined && !/^\d{10}$/.test(input.npi.trim())) {
    throw new AppError('invalid_argument', 'An NPI is 10 digits.');
  }
}
