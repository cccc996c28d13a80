import type { Organization } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  addClinicIdentifier,
  countClinicPatients,
  createClinic,
  deactivateClinic,
  listClinics,
  reactivateClinic,
  removeClinicIdentifier,
  renameClinic,
} from '../../../main/engines/clinics';
import { createClinician, unenrollClinician } from '../../../main/engines/clinicians';
import type { TestBackend } from '../../support/backend';
import { startTestBackend } from '../../support/backend';
import { createPatientInClinics, signInAsAdmin } from '../../support/local-server';
import { engineContext } from '../../support/engine';

const NPI_LIKE = 'https://example.test/clinic-id';

describe('clinics', () => {
  let server: TestBackend;
  beforeAll(async () => {
    server = await startTestBackend();
  });
  afterAll(async () => {
    await server.stop();
  });

  test('create, rename, deactivate, reactivate: the server holds each change, and each is in the activity log', async () => {
    const admin = await signInAsAdmin(server);
    const ctx = engineContext(server, admin);
    const clinic = await createClinic(ctx, { name: '  Harbor Clinic ', identifiers: [{ system: NPI_LIKE, value: 'H-1' }] });
    const read = async (): Promise<Organization> => admin.readResource('Organization', clinic.id, { cache: 'no-cache' } as RequestInit);
    expect(await read()).toMatchObject({ name: 'Harbor Clinic', active: true, identifier: [{ system: NPI_LIKE, value: 'H-1' }] });

    await renameClinic(ctx, clinic.id, 'Harbor Family Clinic');
    expect((await read()).name).toBe('Harbor Family Clinic');
    await deactivateClinic(ctx, clinic.id);
    expect((await read()).active).toBe(false);
    await reactivateClinic(ctx, clinic.id);
    expect((await read()).active).toBe(true);

    expect(ctx.activity.entries.map((e) => [e.action, e.targets, e.result])).toEqual([
      ['clinic.create', [`Organization/${clinic.id}`], 'ok'],
      ['clinic.rename', [`Organization/${clinic.id}`], 'ok'],
      ['clinic.deactivate', [`Organization/${clinic.id}`], 'ok'],
      ['clinic.reactivate', [`Organization/${clinic.id}`], 'ok'],
    ]);
    expect(ctx.activity.entries[0]?.detail).toEqual({ clinic: `Organization/${clinic.id}` });
    expect(JSON.stringify(ctx.activity.entries)).not.toContain('Harbor');
  });

  test('identifiers are added once and removed by system and value', async () => {
    const admin = await signInAsAdmin(server);
    const ctx = engineContext(server, admin);
    const clinic = await createClinic(ctx, { name: 'Identifier Clinic' });
    await addClinicIdentifier(ctx, clinic.id, { system: NPI_LIKE, value: 'A' });
    await addClinicIdentifier(ctx, clinic.id, { system: NPI_LIKE, value: 'A' });
    await addClinicIdentifier(ctx, clinic.id, { system: NPI_LIKE, value: 'B' });
    let stored = await admin.readResource('Organization', clinic.id, { cache: 'no-cache' } as RequestInit);
    expect(stored.identifier).toEqual([
      { system: NPI_LIKE, value: 'A' },
      { system: NPI_LIKE, value: 'B' },
    ]);
    const versionBefore = stored.meta?.versionId;
    await removeClinicIdentifier(ctx, clinic.id, { system: NPI_LIKE, value: 'A' });
    await removeClinicIdentifier(ctx, clinic.id, { system: NPI_LIKE, value: 'missing' });
    await removeClinicIdentifier(ctx, clinic.id, { system: NPI_LIKE, value: 'B' });
    stored = await admin.readResource('Organization', clinic.id, { cache: 'no-cache' } as RequestInit);
    expect(stored.identifier).toBeUndefined();
    expect(stored.meta?.versionId).not.toBe(versionBefore);
    // The no-op add and the no-op remove wrote nothing.
    expect(ctx.activity.entries.map((e) => e.detail?.written)).toEqual([undefined, true, false, true, true, false, true]);
  });

  test('a blank name and a missing clinic are refused in plain words', async () => {
    const admin = await signInAsAdmin(server);
    const ctx = engineContext(server, admin);
    await expect(createClinic(ctx, { name: '  ' })).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(renameClinic(ctx, '00000000-0000-0000-0000-000000000000', 'X')).rejects.toMatchObject({ code: 'not_found' });
    expect(ctx.activity.entries.map((e) => [e.action, e.result])).toEqual([['clinic.rename', 'failed']]);
  });

  test('the clinic list counts enrolled clinicians (over every membership page) and patients (server-side)', async () => {
    const admin = await signInAsAdmin(server);
    const ctx = engineContext(server, admin);
    const north = await createClinic(ctx, { name: 'Count North' });
    const south = await createClinic(ctx, { name: 'Count South' });
    const empty = await createClinic(ctx, { name: 'Count Empty' });
    for (let i = 0; i < 7; i++) {
      await createPatientInClinics(admin, i < 3 ? [north, south] : [north]);
    }
    const both = await createClinician(ctx, { firstName: 'Ana', lastName: 'Both', email: 'ana.both@example.test', clinicIds: [north.id, south.id] });
    await createClinician(ctx, { firstName: 'Ben', lastName: 'North', email: 'ben.north@example.test', clinicIds: [north.id] });
    const gone = await createClinician(ctx, { firstName: 'Cy', lastName: 'Gone', email: 'cy.gone@example.test', clinicIds: [south.id] });
    await unenrollClinician(ctx, gone.practitioner.id, south.id);

    const patientTotal = async (): Promise<number | undefined> =>
      (await admin.search('Patient', { _total: 'accurate', _count: '0' }, { cache: 'no-cache' } as RequestInit)).total;
    const before = await patientTotal();
    expect(before).toBe(7);
    // Pages of 2: the memberships and clinics span several pages.
    const summaries = await listClinics({ ...ctx, pageSize: 2 });
    const row = (c: Organization) => summaries.find((s) => s.clinic.id === c.id);
    expect(row(north)).toMatchObject({ clinicianCount: 2, patientCount: 7 });
    expect(row(south)).toMatchObject({ clinicianCount: 1, patientCount: 3 });
    expect(row(empty)).toMatchObject({ clinicianCount: 0, patientCount: 0 });
    expect(await countClinicPatients(ctx, north.id)).toBe(7);
    // Counting wrote nothing.
    expect(await patientTotal()).toBe(before);
    expect(both.memberships).toHaveLength(1);
  });
});
