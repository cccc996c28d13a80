/**
 * Creating a person keyed by an identifier that someone else already has must not enrol or sign
 * in that someone else; and identifiers with search syntax in them (`,` `&` `|`) are data.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MedplumClient } from '@medplum/core';
import { createClinician } from '../../../main/engines/clinicians';
import { createPatient } from '../../../main/engines/patients';
import type { TestBackend } from '../../support/backend';
import { startTestBackend } from '../../support/backend';
import { createClinic, signInAsAdmin } from '../../support/local-server';
import { engineContext } from '../../support/engine';

let server: TestBackend;
let admin: MedplumClient;
beforeAll(async () => {
  server = await startTestBackend();
  admin = await signInAsAdmin(server);
});
afterAll(async () => {
  await server.stop();
});

describe('existing identifiers', () => {
  test('an MRN is stored and found as it is, and a retried create makes no second patient', async () => {
    const ctx = engineContext(server, admin);
    const mrn = 'A-1/2:3+x.y_z';
    const created = await createPatient(ctx, { given: 'Ann', family: 'Signs', birthDate: '1970-01-01', gender: 'female', mrn, clinicIds: [] });
    expect(created.identifier?.[0]?.value).toBe(mrn);
    const again = await createPatient(ctx, { given: 'Ann', family: 'Signs', birthDate: '1970-01-01', gender: 'female', mrn, clinicIds: [] });
    expect(again.id).toBe(created.id);
    expect(await admin.searchResources('Patient', { family: 'Signs' }, { cache: 'no-cache' } as RequestInit)).toHaveLength(1);
  });

  test('an MRN with search syntax in it (, & | =) is refused before anything is written', async () => {
    const ctx = engineContext(server, admin);
    for (const mrn of ['A,1', 'A&name=x', 'A|B', 'A$b', 'A\\b']) {
      await expect(createPatient(ctx, { given: 'No', family: 'Write', birthDate: '1970-01-01', gender: 'unknown', mrn, clinicIds: [] })).rejects.toMatchObject({
        code: 'invalid_argument',
      });
    }
    expect(await admin.searchResources('Patient', { family: 'Write' }, { cache: 'no-cache' } as RequestInit)).toHaveLength(0);
  });

  test('a new patient whose MRN is already taken is refused, and the existing patient gains no clinic', async () => {
    const ctx = engineContext(server, admin);
    const clinic = await createClinic(admin, 'Taken MRN Clinic');
    const existing = await createPatient(ctx, { given: 'Eve', family: 'First', birthDate: '1980-02-02', gender: 'female', mrn: 'TAKEN-1', clinicIds: [] });
    await expect(
      createPatient(ctx, { given: 'Zed', family: 'Typo', birthDate: '1990-03-03', gender: 'male', mrn: 'TAKEN-1', clinicIds: [clinic.id] }),
    ).rejects.toMatchObject({ code: 'conflict' });
    const after = await admin.readResource('Patient', existing.id, { cache: 'no-cache' } as RequestInit);
    expect(after.meta?.accounts ?? []).toEqual([]);
  });

  test("a new clinician whose NPI is already someone else's is refused, and no sign-in is attached to them", async () => {
    const ctx = engineContext(server, admin);
    const first = await createClinician(ctx, { firstName: 'Ida', lastName: 'First', email: 'ida.first@example.test', npi: '1234567893', clinicIds: [] });
    await expect(
      createClinician(ctx, { firstName: 'Max', lastName: 'Other', email: 'max.other@example.test', npi: '1234567893', clinicIds: [] }),
    ).rejects.toMatchObject({ code: 'conflict' });
    const memberships = await admin.searchResources('ProjectMembership', { profile: `Practitioner/${first.practitioner.id}` }, { cache: 'no-cache' } as RequestInit);
    expect(memberships).toHaveLength(1);
  });
});
