/** The Clinicians and Directory screens: invite, enroll and unenroll, sign-in status. */
import type { WithId } from '@medplum/core';
import type { Practitioner } from '@medplum/fhirtypes';
import type { ClinicianDetail } from '../../preload/api/schemas/enrollment';
import { changeClinicianClinics, clinicianSignInStatus, createClinician, sendSignInEmail } from '../engines/clinicians';
import { fresh, type EngineContext } from '../engines/engine-context';
import { providerDirectory } from '../engines/rosters';
import { toAppError } from '../engines/server-errors';
import { readClinicNames } from '../enrollment/clinic-names';
import { describeClinicList } from '../enrollment/sentences';
import type { SessionEngine } from '../enrollment/session-engine';
import { type ClinicNames, clinicianRow } from '../enrollment/views';
import type { Handler } from './dispatcher';

async function clinicianDetail(ctx: EngineContext, practitionerId: string, knownNames?: ClinicNames): Promise<ClinicianDetail> {
  let practitioner: WithId<Practitioner>;
  try {
    practitioner = await ctx.client.readResource('Practitioner', practitionerId, fresh());
  } catch (error) {
    throw toAppError(error, 'read the clinician');
  }
  // The sign-in status already reads every membership with its clinics: no second read.
  const [status, names] = await Promise.all([clinicianSignInStatus(ctx, practitionerId), knownNames ?? readClinicNames(ctx)]);
  const clinics = [...new Set(status.memberships.flatMap((membership) => membership.clinics))];
  const row = clinicianRow({ practitioner, clinics, memberships: status.memberships.map((membership) => membership.id) }, names);
  // Only what is known: a sign-in made without an email has no password the clinician knows.
  const labels = {
    none: 'No sign-in yet',
    'not-sent': 'Invited; no invitation sent yet',
    invited: 'Invited; invitation email sent',
    active: 'Has a sign-in',
    inactive: 'Sign-in switched off',
  } as const;
  return {
    ...row,
    signIn: {
      state: status.state,
      hasSignIn: status.state !== 'none',
      memberships: status.memberships.length,
      active: status.state === 'active' || status.state === 'invited',
      label: labels[status.state],
      // A membership without the MSO base policy could see the whole project once emptied.
      missingBasePolicy: status.memberships.some((membership) => !membership.hasBasePolicy),
    },
  };
}

export function createClinicianHandlers(engine: SessionEngine): {
  listDirectory: Handler<'listDirectory'>;
  getClinician: Handler<'getClinician'>;
  createClinician: Handler<'createClinician'>;
  setClinicianClinics: Handler<'setClinicianClinics'>;
  sendClinicianInvitation: Handler<'sendClinicianInvitation'>;
} {
  return {
    listDirectory: async ({ search }) => {
      const ctx = await engine.read();
      const [entries, names] = await Promise.all([providerDirectory(ctx, search), readClinicNames(ctx)]);
      return entries.map((entry) => clinicianRow(entry, names));
    },
    getClinician: async ({ practitionerId }) => clinicianDetail(await engine.read(), practitionerId),
    createClinician: async (request) => {
      const ctx = await engine.write();
      const account = await createClinician(ctx, {
        firstName: request.givenName,
        lastName: request.familyName,
        email: request.email,
        ...(request.npi ? { npi: request.npi } : {}),
        clinicIds: request.clinicIds,
        sendEmail: request.sendInvite,
      });
      const detail = await clinicianDetail(ctx, account.practitioner.id);
      const where = detail.clinics.length
        ? `can see the patients of ${describeClinicList(detail.clinics)}`
        : 'has a sign-in but no clinic yet, so sees no patient';
      return {
        value: detail,
        summary: `${detail.name} was invited${request.sendInvite ? ' (invitation email sent)' : ' (no invitation email yet: send it from their page)'} and ${where}.`,
      };
    },
    sendClinicianInvitation: async ({ practitionerId }) => {
      const ctx = await engine.write();
      await sendSignInEmail(ctx, practitionerId);
      const detail = await clinicianDetail(ctx, practitionerId);
      return { value: detail, summary: `An email to set a password went to ${detail.name}. They can sign in once they have set it.` };
    },
    setClinicianClinics: async ({ practitionerId, add, remove }) => {
      const ctx = await engine.write();
      await changeClinicianClinics(ctx, practitionerId, { enroll: add, unenroll: remove });
      // One read of the clinic names serves the detail and the sentence.
      const names = await readClinicNames(ctx);
      const detail = await clinicianDetail(ctx, practitionerId, names);
      const tag = (ids: readonly string[]) => ids.map((id) => ({ id, name: names.get(id) ?? `Clinic ${id}` }));
      const parts = [
        add.length ? `can now see the patients of ${describeClinicList(tag(add))}` : '',
        remove.length ? `no longer sees the patients of ${describeClinicList(tag(remove))}` : '',
      ].filter(Boolean);
      return { value: detail, summary: `${detail.name} ${parts.join(' and ') || 'keeps the same clinics'}.` };
    },
  };
}
