/**
 * A refused change leaves nothing behind and says, under the field it concerns, what the server
 * refused: an invite of someone already a member, an NPI someone else holds, a clinic name taken
 * (after trimming and case-folding). Runs on the local server and on a real Medplum.
 */
import type { MedplumClient } from '@medplum/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clinicianSignInStatus, createClinician, INVITATION_EXTENSION, sendSignInEmail } from '../../../main/engines/clinicians';
import { createClinic, renameClinic } from '../../../main/engines/clinics';
import { createPatient } from '../../../main/engines/patients';
import { AppError } from '../../../main/errors/app-error';
import type { TestBackend } from '../../support/backend';
import { startTestBackend } from '../../support/backend';
import { engineContext } from '../../support/engine';
import { signInAsAdmin } from '../../support/local-server';

let server: TestBackend;
let admin: MedplumClient;
const stamp = Date.now();

beforeAll(async () => {
  server = await startTestBackend();
  admin = await signInAsAdmin(server);
});
afterAll(async () => {
  await server.stop();
});

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const practitionersNamed = async (family: string): Promise<number> =>
  (await admin.searchResources('Practitioner', { family, _count: '100' }, { cache: 'no-cache' })).length;

describe('inviting someone who is already a member', () => {
  test('is refused under Email in plain words, and no Practitioner is left behind, however often it is retried', async () => {
    const ctx = engineContext(server, admin);
    const email = `already.${stamp}@example.test`;
    await createClinician(ctx, { firstName: 'Ada', lastName: `Member${stamp}`, email, clinicIds: [], password: 'first-password-1' });
    expect(await practitionersNamed(`Member${stamp}`)).toBe(1);

    for (let attempt = 0; attempt < 3; attempt++) {
      // Another name, the same email (and once with other case): the server's login is the email.
      const again = await refusal(
        createClinician(ctx, { firstName: 'Ada', lastName: `Again${stamp}`, email: attempt === 1 ? email.toUpperCase() : email, clinicIds: [] }),
      );
      expect(again.code).toBe('conflict');
      expect(again.field).toBe('email');
      expect(again.message).toMatch(/already a member of this project/);
    }
    expect(await practitionersNamed(`Again${stamp}`)).toBe(0);
    expect(ctx.activity.entries.filter((entry) => entry.action === 'clinician.create').map((entry) => entry.result)).toEqual([
      'ok',
      'failed',
      'failed',
      'failed',
    ]);
  });

  test('when the server itself refuses the invite (409), the Practitioner made for it is removed again', async () => {
    const ctx = engineContext(server, admin);
    const email = `server.refuses.${stamp}@example.test`;
    const first = await createClinician(ctx, { firstName: 'Sam', lastName: `Server${stamp}`, email, clinicIds: [] });
    // Their record now shows another email, so only the server can tell that the login is taken.
    await admin.updateResource({ ...first.practitioner, telecom: [{ system: 'email', value: `changed.${stamp}@example.test` }] });
    const refused = await refusal(createClinician(ctx, { firstName: 'Sam', lastName: `Retry${stamp}`, email, clinicIds: [] }));
    expect(refused.field).toBe('email');
    expect(refused.message).toMatch(/already a member of this project/);
    expect(refused.details).toMatch(/User is already a member of this project/);
    expect(await practitionersNamed(`Retry${stamp}`)).toBe(0);
  });

  test('an NPI held by another clinician is refused under NPI, and nothing is written', async () => {
    const ctx = engineContext(server, admin);
    await createClinician(ctx, { firstName: 'Nia', lastName: `Npi${stamp}`, email: `npi.${stamp}@example.test`, npi: '1234567893', clinicIds: [] });
    const taken = await refusal(
      createClinician(ctx, { firstName: 'Other', lastName: `NpiOther${stamp}`, email: `other.${stamp}@example.test`, npi: '1234567893', clinicIds: [] }),
    );
    expect(taken.field).toBe('npi');
    expect(taken.message).toMatch(/already has this NPI/);
    expect(await practitionersNamed(`NpiOther${stamp}`)).toBe(0);
  });
});

describe('whether an invited clinician can sign in', () => {
  test('invited without an email or password: "not-sent", kept on the membership; with a password: sent', async () => {
    const ctx = engineContext(server, admin);
    const quiet = await createClinician(ctx, { firstName: 'Quinn', lastName: `Quiet${stamp}`, email: `quiet.${stamp}@example.test`, clinicIds: [] });
    expect((await clinicianSignInStatus(ctx, quiet.practitioner.id)).state).toBe('not-sent');
    const stored = await admin.readResource('ProjectMembership', quiet.memberships[0]!.id, { cache: 'no-cache' });
    expect(stored.extension).toEqual([{ url: INVITATION_EXTENSION, valueCode: 'not-sent' }]);

    // The way on: Medplum's email to set a password. The local sandbox sends no email and says so.
    if (server.kind === 'real') {
      await sendSignInEmail(ctx, quiet.practitioner.id);
      expect((await clinicianSignInStatus(ctx, quiet.practitioner.id)).state).toBe('invited');
    } else {
      const refused = await refusal(sendSignInEmail(ctx, quiet.practitioner.id));
      expect(refused.message).toMatch(/cannot send email/);
      expect((await clinicianSignInStatus(ctx, quiet.practitioner.id)).state).toBe('not-sent');
    }

    const ready = await createClinician(ctx, {
      firstName: 'Rae',
      lastName: `Ready${stamp}`,
      email: `ready.${stamp}@example.test`,
      clinicIds: [],
      password: 'rae-password-123',
    });
    expect((await clinicianSignInStatus(ctx, ready.practitioner.id)).state).toBe('invited');
  });
});

describe('clinic names', () => {
  test('a name another clinic has, after trimming and case-folding, is refused on create and on rename', async () => {
    const ctx = engineContext(server, admin);
    const name = `Northgate Pediatrics ${stamp}`;
    const first = await createClinic(ctx, { name });
    for (const variant of [name, `${name.toUpperCase()} `, ` northgate  pediatrics ${stamp}`]) {
      const refused = await refusal(createClinic(ctx, { name: variant }));
      expect(refused.code).toBe('conflict');
      expect(refused.field).toBe('name');
      expect(refused.message).toContain(`Another clinic is already called “${name}”`);
    }
    const other = await createClinic(ctx, { name: `Southgate ${stamp}` });
    const renamed = await refusal(renameClinic(ctx, other.id, `northgate pediatrics ${stamp}`));
    expect(renamed.field).toBe('name');
    // Renaming a clinic to its own name in other case is not a clash with itself.
    expect((await renameClinic(ctx, first.id, name.toUpperCase())).name).toBe(name.toUpperCase());

    const clinics = await admin.searchResources('Organization', { _count: '1000' }, { cache: 'no-cache' });
    expect(clinics.filter((clinic) => (clinic.name ?? '').toLowerCase().includes(`northgate pediatrics ${stamp}`))).toHaveLength(1);
  });
});

describe('patients', () => {
  test('a patient created with no gender is stored with none', async () => {
    const ctx = engineContext(server, admin);
    const patient = await createPatient(ctx, { given: 'Gale', family: `NoGender${stamp}`, birthDate: '1980-01-02', mrn: `NG-${stamp}`, clinicIds: [] });
    const stored = await admin.readResource('Patient', patient.id, { cache: 'no-cache' });
    expect(stored.gender).toBeUndefined();
  });

  test('an MRN someone else holds is refused under MRN', async () => {
    const ctx = engineContext(server, admin);
    await createPatient(ctx, { given: 'Mia', family: `Mrn${stamp}`, birthDate: '1981-01-02', mrn: `MRN-${stamp}`, clinicIds: [] });
    const taken = await refusal(
      createPatient(ctx, { given: 'Other', family: `MrnOther${stamp}`, birthDate: '1982-01-02', mrn: `MRN-${stamp}`, clinicIds: [] }),
    );
    expect(taken.field).toBe('mrn');
  });
});
