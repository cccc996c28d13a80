import type { WithId } from '@medplum/core';
import { getReferenceString } from '@medplum/core';
import type { Organization, Practitioner, ProjectMembership, Reference, User } from '@medplum/fhirtypes';
import { AppError } from '../errors/app-error';
import { accessEntry, clinicReference, clinicsOf, labelOf, withClinic, withLabel, withoutClinic } from './access-list';
import { searchAll } from './all-pages';
import type { EngineContext } from './engine-context';
import { fresh } from './engine-context';
import { withActivity } from './record-activity';
import { identifierQuery } from './identifier-query';
import { detailsOf, isNotFoundError, statusOf, toAppError } from './server-errors';
import { updateWithRetry } from './update-with-retry';

export const NPI_SYSTEM = 'http://hl7.org/fhir/sid/us-npi';

/**
 * Kept on each membership the console invites: whether the person was sent an email to set their
 * password ("sent") or not ("not-sent"). The server hides whether a password was ever set, so this
 * is how the console can say truthfully that someone cannot sign in yet.
 */
export const INVITATION_EXTENSION = 'https://mso-admin-console.app/fhir/StructureDefinition/invitation-email';
export type InvitationState = 'sent' | 'not-sent';

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
    // Checked before anything is written, so a refused invite leaves nothing behind.
    await refuseExistingMember(ctx, input.email);
    const { practitioner, created } = await findOrCreatePractitioner(ctx, input);
    const person = { firstName: input.firstName.trim(), lastName: input.lastName.trim(), email: normalizeEmail(input.email) };
    const memberships: WithId<ProjectMembership>[] = [];
    const options = { password: input.password, sendEmail: input.sendEmail };
    try {
      if (isStrict(ctx)) {
        const groups = clinics.length ? clinics.map((c) => [c]) : [[]];
        for (const group of groups) {
          memberships.push(await invite(ctx, practitioner, person, group, { ...options, forceNew: memberships.length > 0 }));
        }
      } else {
        memberships.push(await invite(ctx, practitioner, person, clinics, { ...options, forceNew: false }));
      }
    } catch (err) {
      // The server refused after the Practitioner (or a first membership) was made: remove what
      // this call made, so a retry starts clean and no stray clinician stays behind.
      await undoInvite(ctx, created ? practitioner : null, memberships);
      throw err;
    }
    return { practitioner, memberships };
  }, (account) => ({ practitioner: `Practitioner/${account.practitioner.id}`, memberships: account.memberships.length }));
}

/** A clinician whose email already has a sign-in in this project is refused, under Email. */
async function refuseExistingMember(ctx: EngineContext, email: string): Promise<void> {
  let found: WithId<Practitioner>[];
  try {
    found = await ctx.client.searchResources('Practitioner', { email: normalizeEmail(email), _count: '20' }, fresh());
  } catch (err) {
    throw toAppError(err, 'check whether the clinician is already a member');
  }
  const same = found.filter((p) => p.telecom?.some((t) => t.system === 'email' && normalizeEmail(t.value ?? '') === normalizeEmail(email)));
  for (const practitioner of same) {
    if ((await clinicianMemberships(ctx, practitioner.id)).length > 0) {
      throw new AppError(
        'conflict',
        'A clinician with this email is already a member of this project. Open them from Clinicians to change their clinics instead of inviting them again.',
        `Practitioner/${practitioner.id}`,
        'email'
      );
    }
  }
}

async function undoInvite(ctx: EngineContext, practitioner: WithId<Practitioner> | null, memberships: readonly WithId<ProjectMembership>[]): Promise<void> {
  for (const membership of memberships) {
    await deleteMembership(ctx, membership.id).catch((err: unknown) => logCleanupFailure(ctx, 'membership', err));
  }
  if (practitioner) {
    await ctx.client.deleteResource('Practitioner', practitioner.id).catch((err: unknown) => logCleanupFailure(ctx, 'practitioner', err));
  }
}

function logCleanupFailure(ctx: EngineContext, what: string, err: unknown): void {
  ctx.logger?.error('clinician.cleanup_failed', { what, status: statusOf(err) ?? null });
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
  let before: string[] = [];
  return withActivity(
    ctx,
    action,
    [`Practitioner/${practitionerId}`, ...enroll, ...unenroll],
    async () => {
      const memberships = await requireMemberships(ctx, practitionerId);
      // The clinics before, for the entry (an undo puts them back).
      before = clinicsAcross(memberships);
      return isStrict(ctx) ? changeStrict(ctx, practitionerId, clinics, unenroll, memberships) : changeShared(ctx, practitionerId, clinics, unenroll, memberships);
    },
    (memberships) => ({ memberships: memberships.length }),
    (memberships) => ({ subject: `Practitioner/${practitionerId}`, field: 'clinics', before, after: clinicsAcross(memberships) })
  );
}

/** Every clinic a clinician's memberships grant, once each. */
export function clinicsAcross(memberships: readonly ProjectMembership[]): string[] {
  return [...new Set(memberships.flatMap((m) => clinicsOf(m)))];
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
  unenroll: readonly string[],
  /** As read at the start of the change (each is re-read under If-Match before it is written). */
  memberships: WithId<ProjectMembership>[]
): Promise<WithId<ProjectMembership>[]> {
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
  unenroll: readonly string[],
  read: WithId<ProjectMembership>[]
): Promise<WithId<ProjectMembership>[]> {
  let memberships = read;
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
      const practitioner = await ctx.client.readResource('Practitioner', practitionerId, fresh());
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
  /**
   * `none`: never invited; `not-sent`: invited, but no email to set a password went out, so they
   * cannot sign in yet; `invited`: the email went out; `active`: a sign-in the console did not
   * invite (it cannot tell whether a password is set); `inactive`: every membership switched off.
   */
  readonly state: 'none' | 'not-sent' | 'invited' | 'active' | 'inactive';
  readonly memberships: {
    readonly id: string;
    readonly label?: string;
    readonly clinics: string[];
    readonly active: boolean;
    readonly hasUser: boolean;
    /** False would mean a membership that, emptied of clinics, sees the whole project. */
    readonly hasBasePolicy: boolean;
    readonly invitation: InvitationState | null;
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
      invitation: invitationOf(m),
    }))
  );
  const usable = rows.filter((r) => r.active && r.hasUser);
  const state =
    rows.length === 0
      ? 'none'
      : usable.length === 0
        ? 'inactive'
        : usable.every((r) => r.invitation === 'not-sent')
          ? 'not-sent'
          : usable.some((r) => r.invitation === null)
            ? 'active'
            : 'invited';
  return { state, memberships: rows };
}

function invitationExtension(state: InvitationState): NonNullable<ProjectMembership['extension']>[number] {
  return { url: INVITATION_EXTENSION, valueCode: state };
}

function invitationOf(membership: ProjectMembership): InvitationState | null {
  const code = membership.extension?.find((e) => e.url === INVITATION_EXTENSION)?.valueCode;
  return code === 'sent' || code === 'not-sent' ? code : null;
}

/**
 * Sends the clinician Medplum's email to set a password (`auth/resetpassword` for their
 * project-scoped sign-in), then marks their memberships as sent. The sign-in's own email is used.
 */
export async function sendSignInEmail(ctx: EngineContext, practitionerId: string): Promise<void> {
  await withActivity(ctx, 'clinician.send-invitation', [`Practitioner/${practitionerId}`], async () => {
    const memberships = await requireMemberships(ctx, practitionerId);
    const practitioner = await ctx.client.readResource('Practitioner', practitionerId, fresh());
    const { email } = await personOf(ctx, practitioner, memberships);
    try {
      await ctx.client.post('auth/resetpassword', { email, projectId: ctx.projectId });
    } catch (err) {
      if (isNotFoundError(err)) {
        throw new AppError(
          'server_error',
          'This server cannot send email (the local sandbox cannot). Give the clinician a password another way, or use a Medplum server with email set up.',
          detailsOf(err)
        );
      }
      throw toAppError(err, 'send the invitation email');
    }
    for (const membership of memberships) {
      await updateWithRetry<ProjectMembership>(
        ctx.client,
        'ProjectMembership',
        membership.id,
        (current) =>
          ({
            ...current,
            extension: [...(current.extension ?? []).filter((e) => e.url !== INVITATION_EXTENSION), invitationExtension('sent')],
          }) as WithId<ProjectMembership>,
        'record that the invitation was sent'
      );
    }
  });
}

async function userExists(ctx: EngineContext, user: Reference | undefined): Promise<boolean> {
  if (!user?.reference) {
    return false;
  }
  try {
    await ctx.client.readReference(user as Reference<User>, fresh());
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
    // A password given here (sandbox, tests) lets them sign in at once, like an email would.
    extension: [invitationExtension(options.sendEmail || options.password ? 'sent' : 'not-sent')],
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

/**
 * The Practitioner to invite: one that already holds this NPI (only if it is the same person, as
 * when an earlier attempt was interrupted), else a new one. `created` says whether this call made it.
 */
async function findOrCreatePractitioner(ctx: EngineContext, input: NewClinician): Promise<{ practitioner: WithId<Practitioner>; created: boolean }> {
  const practitioner: Practitioner = {
    resourceType: 'Practitioner',
    name: [{ given: [input.firstName.trim()], family: input.lastName.trim() }],
    telecom: [{ system: 'email', use: 'work', value: normalizeEmail(input.email) }],
    ...(input.npi ? { identifier: [{ system: NPI_SYSTEM, value: input.npi.trim() }] } : {}),
  };
  let found: WithId<Practitioner> | undefined;
  let created = false;
  try {
    if (input.npi) {
      const query = identifierQuery(NPI_SYSTEM, input.npi.trim());
      found = await ctx.client.searchOne('Practitioner', query, fresh());
      if (!found) {
        // Still conditional: two invites at once with this NPI make one Practitioner.
        found = await ctx.client.createResourceIfNoneExist(practitioner, query);
        created = true;
      }
    } else {
      found = await ctx.client.createResource(practitioner);
      created = true;
    }
  } catch (err) {
    throw toAppError(err, 'create the clinician');
  }
  // Someone else with this NPI: their record must not get this sign-in.
  const email = found.telecom?.find((t) => t.system === 'email')?.value;
  if (email !== undefined && normalizeEmail(email) !== normalizeEmail(input.email)) {
    throw new AppError(
      'conflict',
      'Another clinician in this project already has this NPI. Check the number, or open that clinician from Clinicians.',
      undefined,
      'npi'
    );
  }
  return { practitioner: found, created };
}

/** The invite fields of an existing clinician: the sign-in's own email first (it is the login). */
async function personOf(ctx: EngineContext, practitioner: Practitioner, memberships: ProjectMembership[]): Promise<Person> {
  const name = practitioner.name?.[0];
  let email = practitioner.telecom?.find((t) => t.system === 'email')?.value;
  const user = memberships.find((m) => m.user?.reference)?.user;
  if (user) {
    email = ((await ctx.client.readReference(user as Reference<User>, fresh())) as User).email ?? email;
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
        return await ctx.client.readResource('Organization', id, fresh());
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
