import { createReference } from '@medplum/core';
import type { Observation, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { AccountsWriteOptions } from '../../../../main/local-server/repo/accounts-repository';
import { createObservation, createPatient, createWorld, PROJECT_ID, refs } from './fixtures';

describe('AccountsRepository', () => {
  it('stamps meta.project and the project compartment on every write', async () => {
    const { memory, clinicA } = await createWorld();
    const stored = await memory.readResource('Organization', clinicA.id);
    expect(stored.meta?.project).toBe(PROJECT_ID);
    expect(refs(stored.meta?.compartment)).toEqual([`Project/${PROJECT_ID}`]);
  });

  it('derives compartments from the accounts an admin sets and keeps meta.account = the first', async () => {
    const { memory, admin, clinicA, clinicB } = await createWorld();
    const patient = await createPatient(admin, 'Stark', [clinicB, clinicA]);
    const stored = await memory.readResource<Patient>('Patient', patient.id);
    expect(stored.meta?.account?.reference).toBe(`Organization/${clinicB.id}`);
    expect(refs(stored.meta?.accounts)).toEqual(refs([createReference(clinicA), createReference(clinicB)]));
    expect(refs(stored.meta?.compartment)).toEqual(
      [`Project/${PROJECT_ID}`, `Organization/${clinicA.id}`, `Organization/${clinicB.id}`, `Patient/${patient.id}`].sort()
    );
  });

  it('ignores compartments and project a client sends', async () => {
    const { memory, admin } = await createWorld();
    const created = await admin.createResource<Patient>({
      resourceType: 'Patient',
      meta: { project: 'elsewhere', compartment: [{ reference: 'Organization/forged' }] },
    });
    const stored = await memory.readResource('Patient', created.id);
    expect(stored.meta?.project).toBe(PROJECT_ID);
    expect(refs(stored.meta?.compartment)).toEqual([`Patient/${created.id}`, `Project/${PROJECT_ID}`].sort());
  });

  it("a new resource without meta inherits its patient's accounts and joins the patient's compartment", async () => {
    const { memory, admin, clinicA } = await createWorld();
    const patient = await createPatient(admin, 'Lannister', [clinicA]);
    const observation = await createObservation(admin, patient);
    const stored = await memory.readResource<Observation>('Observation', observation.id);
    expect(refs(stored.meta?.accounts)).toEqual([`Organization/${clinicA.id}`]);
    expect(stored.meta?.account?.reference).toBe(`Organization/${clinicA.id}`);
    expect(refs(stored.meta?.compartment)).toEqual(
      [`Organization/${clinicA.id}`, `Patient/${patient.id}`, `Project/${PROJECT_ID}`].sort()
    );
  });

  it('an admin create carrying any meta (only a tag) keeps it as given and inherits nothing', async () => {
    const { memory, admin, clinicA } = await createWorld();
    const patient = await createPatient(admin, 'Tully', [clinicA]);
    const created = await admin.createResource<Observation>({
      resourceType: 'Observation',
      meta: { tag: [{ system: 'urn:test', code: 'imported' }] },
      status: 'final',
      code: { text: 'weight' },
      subject: createReference(patient),
    });
    const stored = await memory.readResource<Observation>('Observation', created.id);
    expect(stored.meta?.accounts).toBeUndefined();
    expect(stored.meta?.account).toBeUndefined();
    expect(stored.meta?.tag?.[0]?.code).toBe('imported');
    expect(refs(stored.meta?.compartment)).toEqual([`Patient/${patient.id}`, `Project/${PROJECT_ID}`].sort());
  });

  it('a member writer gets the policy compartment plus the patient accounts, and cannot set accounts', async () => {
    const { memory, admin, clinicA, clinicB } = await createWorld();
    const patient = await createPatient(admin, 'Greyjoy', [clinicB]);
    const options: AccountsWriteOptions = {
      accountsWriter: { canWriteAccounts: false, compartment: createReference(clinicA) },
    };
    const created = await admin.createResource<Observation>(
      {
        resourceType: 'Observation',
        meta: { accounts: [{ reference: 'Organization/forged' }] },
        status: 'final',
        code: { text: 'bp' },
        subject: createReference(patient),
      },
      options
    );
    const stored = await memory.readResource<Observation>('Observation', created.id);
    expect(refs(stored.meta?.accounts)).toEqual(refs([createReference(clinicA), createReference(clinicB)]));
    expect(stored.meta?.account?.reference).toBe(`Organization/${clinicA.id}`);
  });

  it('an update of a patient without meta keeps its accounts', async () => {
    const { memory, admin, clinicA } = await createWorld();
    const patient = await createPatient(admin, 'Arryn', [clinicA]);
    await admin.updateResource<Patient>({ resourceType: 'Patient', id: patient.id, name: [{ family: 'Arryn-2' }] });
    const stored = await memory.readResource<Patient>('Patient', patient.id);
    expect(stored.name?.[0]?.family).toBe('Arryn-2');
    expect(refs(stored.meta?.accounts)).toEqual([`Organization/${clinicA.id}`]);
  });

  it('a patch goes through the same rules and honours If-Match', async () => {
    const { memory, admin, clinicA } = await createWorld();
    const patient = await createPatient(admin, 'Baratheon', [clinicA]);
    const patched = await admin.patchResource('Patient', patient.id, [
      { op: 'add', path: '/birthDate', value: '1990-01-01' },
    ]);
    expect(patched.meta?.versionId).not.toBe(patient.meta?.versionId);
    const stored = await memory.readResource<Patient>('Patient', patient.id);
    expect(stored.birthDate).toBe('1990-01-01');
    expect(refs(stored.meta?.compartment)).toContain(`Organization/${clinicA.id}`);
    await expect(
      admin.updateResource({ ...stored, gender: 'female' }, { ifMatch: patient.meta?.versionId ?? '' })
    ).rejects.toThrow(/Precondition Failed/);
  });

  it('history reads newest first, every time', async () => {
    const { admin, clinicA } = await createWorld();
    const patient = await createPatient(admin, 'Martell', [clinicA]);
    const v2 = await admin.updateResource({ ...patient, gender: 'male' });
    const v3 = await admin.updateResource({ ...v2, gender: 'female' });
    for (let i = 0; i < 3; i++) {
      const history = await admin.readHistory('Patient', patient.id);
      expect(history.entry?.map((e) => e.resource?.meta?.versionId)).toEqual([
        v3.meta?.versionId,
        v2.meta?.versionId,
        patient.meta?.versionId,
      ]);
    }
  });

  it('conditional create finds the existing resource the second time', async () => {
    const { admin } = await createWorld();
    const patient: Patient = { resourceType: 'Patient', identifier: [{ system: 'urn:mrn', value: '42' }] };
    const search = { resourceType: 'Patient' as const, filters: [{ code: 'identifier', operator: 'eq' as const, value: 'urn:mrn|42' }] };
    const first = await admin.conditionalCreate(patient, { ...search });
    const second = await admin.conditionalCreate(patient, { ...search });
    expect(first.outcome.id).toBe('created');
    expect(second.outcome.id).toBe('ok');
    expect(second.resource.id).toBe(first.resource.id);
  });
});
