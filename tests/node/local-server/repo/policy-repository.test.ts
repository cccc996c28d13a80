import type { WithId } from '@medplum/core';
import { createReference, parseSearchRequest } from '@medplum/core';
import type { AccessPolicy, Condition, Observation, Patient, ProjectMembership } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { createPolicyRepository } from '../../../../main/local-server/repo/policy-repository';
import {
  clinicianMembership,
  createObservation,
  createPatient,
  createWorld,
  enrollment,
  ids,
  PROJECT_ID,
  refs,
  repoFor,
} from './fixtures';

async function isolationWorld() {
  const world = await createWorld();
  const { admin, clinicA, clinicB } = world;
  const patientsA = [await createPatient(admin, 'A1', [clinicA]), await createPatient(admin, 'A2', [clinicA])];
  const patientsB = [await createPatient(admin, 'B1', [clinicB])];
  const both = await createPatient(admin, 'AB', [clinicA, clinicB]);
  const obsA = await createObservation(admin, patientsA[0] as WithId<Patient>);
  const obsB = await createObservation(admin, patientsB[0] as WithId<Patient>);
  const obsBoth = await createObservation(admin, both);
  return { ...world, patientsA, patientsB, both, obsA, obsB, obsBoth };
}

describe('createPolicyRepository: the isolation matrix', () => {
  it('a clinician of clinic A finds and reads only clinic-A patients and their observations', async () => {
    const w = await isolationWorld();
    const repo = await repoFor(w.admin, clinicianMembership(w.policy, w.practitioner, [w.clinicA]));

    const patients = await repo.searchResources(parseSearchRequest('Patient'));
    expect(ids(patients)).toEqual(ids([...w.patientsA, w.both]));
    const observations = await repo.searchResources(parseSearchRequest('Observation'));
    expect(ids(observations)).toEqual(ids([w.obsA, w.obsBoth]));

    expect((await repo.readResource('Patient', w.both.id)).id).toBe(w.both.id);
    await expect(repo.readResource('Patient', (w.patientsB[0] as WithId<Patient>).id)).rejects.toThrow('Not found');
    await expect(repo.readResource('Observation', w.obsB.id)).rejects.toThrow('Not found');
    // A search by id does not reveal it either.
    expect(await repo.searchResources(parseSearchRequest(`Patient?_id=${w.patientsB[0]?.id}`))).toEqual([]);
  });

  it('adding clinic B to the membership shows B patients; removing it hides them again', async () => {
    const w = await isolationWorld();
    const patientB = w.patientsB[0] as WithId<Patient>;
    const membership = clinicianMembership(w.policy, w.practitioner, [w.clinicA]);

    membership.access = [enrollment(w.policy, w.clinicA), enrollment(w.policy, w.clinicB)];
    const withB = await repoFor(w.admin, membership);
    expect((await withB.readResource('Patient', patientB.id)).id).toBe(patientB.id);
    expect(ids(await withB.searchResources(parseSearchRequest('Patient')))).toEqual(
      ids([...w.patientsA, ...w.patientsB, w.both])
    );
    expect(ids(await withB.searchResources(parseSearchRequest('Observation')))).toEqual(ids([w.obsA, w.obsB, w.obsBoth]));

    membership.access = [enrollment(w.policy, w.clinicA)];
    const withoutB = await repoFor(w.admin, membership);
    await expect(withoutB.readResource('Patient', patientB.id)).rejects.toThrow('Not found');
    expect(ids(await withoutB.searchResources(parseSearchRequest('Patient')))).toEqual(ids([...w.patientsA, w.both]));
  });

  it('the UI narrowing (_compartment on the query) combines with the policy', async () => {
    const w = await isolationWorld();
    const repo = await repoFor(w.admin, clinicianMembership(w.policy, w.practitioner, [w.clinicA, w.clinicB]));
    const onlyB = await repo.searchResources(parseSearchRequest(`Patient?_compartment=Organization/${w.clinicB.id}`));
    expect(ids(onlyB)).toEqual(ids([...w.patientsB, w.both]));
  });

  it('a type the policy does not list is 403, for reads, searches and writes', async () => {
    const w = await isolationWorld();
    const repo = await repoFor(w.admin, clinicianMembership(w.policy, w.practitioner, [w.clinicA]));
    const condition = await w.admin.createResource<Condition>({
      resourceType: 'Condition',
      subject: createReference(w.patientsA[0] as WithId<Patient>),
    });
    await expect(repo.readResource('Condition', condition.id)).rejects.toThrow('Forbidden');
    await expect(repo.searchResources(parseSearchRequest('Condition'))).rejects.toThrow('Forbidden');
    await expect(repo.createResource<Condition>({ resourceType: 'Condition', subject: { reference: 'Patient/x' } })).rejects.toThrow(
      'Forbidden'
    );
    // Project-admin types are never for non-admins.
    await expect(repo.searchResources(parseSearchRequest('ProjectMembership'))).rejects.toThrow('Forbidden');
  });

  it('a membership with no access and no accessPolicy sees the whole project', async () => {
    const w = await isolationWorld();
    const open: ProjectMembership = { ...clinicianMembership(w.policy, w.practitioner, []), accessPolicy: undefined };
    const repo = await repoFor(w.admin, open);
    expect(ids(await repo.searchResources(parseSearchRequest('Patient')))).toEqual(
      ids([...w.patientsA, ...w.patientsB, w.both])
    );
    expect((await repo.readResource('Observation', w.obsB.id)).id).toBe(w.obsB.id);
    expect((await repo.readResource('Organization', w.clinicB.id)).id).toBe(w.clinicB.id);
  });

  it('a membership with only the base MSO policy and no access sees no patient and cannot create one', async () => {
    const w = await isolationWorld();
    const repo = await repoFor(w.admin, clinicianMembership(w.policy, w.practitioner, []));
    expect(await repo.searchResources(parseSearchRequest('Patient'))).toEqual([]);
    expect(await repo.searchResources(parseSearchRequest('Observation'))).toEqual([]);
    await expect(repo.readResource('Patient', w.both.id)).rejects.toThrow('Not found');
    await expect(repo.createResource<Patient>({ resourceType: 'Patient', name: [{ family: 'New' }] })).rejects.toThrow(
      'Forbidden'
    );
  });
});

describe('createPolicyRepository: writes', () => {
  it('a clinician create is stamped with the LAST access entry and is then visible to that clinic only', async () => {
    const w = await createWorld();
    const clinician = await repoFor(w.admin, clinicianMembership(w.policy, w.practitioner, [w.clinicA, w.clinicB]));
    const created = await clinician.createResource<Patient>({
      resourceType: 'Patient',
      name: [{ family: 'Walk-in' }],
      meta: { accounts: [{ reference: `Organization/${w.clinicA.id}` }] }, // ignored: not an admin
    });
    const stored = await w.memory.readResource<Patient>('Patient', created.id);
    expect(refs(stored.meta?.accounts)).toEqual([`Organization/${w.clinicB.id}`]);
    expect(refs(stored.meta?.compartment)).toContain(`Organization/${w.clinicB.id}`);

    const clinicianA = await repoFor(w.admin, clinicianMembership(w.policy, w.practitioner, [w.clinicA]));
    await expect(clinicianA.readResource('Patient', created.id)).rejects.toThrow('Not found');
    const clinicianB = await repoFor(w.admin, clinicianMembership(w.policy, w.practitioner, [w.clinicB]));
    expect((await clinicianB.readResource('Patient', created.id)).id).toBe(created.id);
  });

  it("a clinician's observation on another clinic's patient belongs to both clinics", async () => {
    const w = await createWorld();
    const patientB = await createPatient(w.admin, 'B', [w.clinicB]);
    const clinicianA = await repoFor(w.admin, clinicianMembership(w.policy, w.practitioner, [w.clinicA]));
    const obs = await createObservation(clinicianA, patientB);
    const stored = await w.memory.readResource<Observation>('Observation', obs.id);
    expect(refs(stored.meta?.accounts)).toEqual([`Organization/${w.clinicA.id}`, `Organization/${w.clinicB.id}`].sort());
    expect(stored.meta?.account?.reference).toBe(`Organization/${w.clinicA.id}`);
  });

  it('an update must keep the resource inside the policy', async () => {
    const w = await createWorld();
    const patientA = await createPatient(w.admin, 'A', [w.clinicA]);
    const patientB = await createPatient(w.admin, 'B', [w.clinicB]);
    const clinicianA = await repoFor(w.admin, clinicianMembership(w.policy, w.practitioner, [w.clinicA]));
    const obs = await createObservation(w.admin, patientA);

    const updated = await clinicianA.updateResource<Observation>({ ...obs, status: 'amended' });
    expect(updated.status).toBe('amended');
    // Re-pointing it at a clinic-B patient would move it out of clinic A: refused, nothing written.
    await expect(clinicianA.updateResource<Observation>({ ...obs, subject: createReference(patientB) })).rejects.toThrow(
      'Forbidden'
    );
    expect((await w.memory.readResource<Observation>('Observation', obs.id)).subject?.reference).toBe(
      `Patient/${patientA.id}`
    );
    // A resource outside the policy cannot be updated, patched or deleted: it does not exist for them.
    const obsB = await createObservation(w.admin, patientB);
    await expect(clinicianA.updateResource<Observation>({ ...obsB, status: 'amended' })).rejects.toThrow('Not found');
    await expect(clinicianA.patchResource('Observation', obsB.id, [{ op: 'add', path: '/status', value: 'amended' }])).rejects.toThrow(
      'Not found'
    );
    await expect(clinicianA.deleteResource('Observation', obsB.id)).rejects.toThrow('Not found');
    await clinicianA.deleteResource('Observation', obs.id);
    await expect(w.memory.readResource('Observation', obs.id)).rejects.toThrow('Not found');
  });

  it('readonly entries and interaction limits forbid writes but allow reads', async () => {
    const w = await createWorld();
    const patientA = await createPatient(w.admin, 'A', [w.clinicA]);
    const obs = await createObservation(w.admin, patientA);
    const limited = await w.admin.createResource<AccessPolicy>({
      resourceType: 'AccessPolicy',
      compartment: { reference: '%organization' },
      resource: [
        { resourceType: 'Patient', criteria: 'Patient?_compartment=%organization', readonly: true },
        { resourceType: 'Observation', criteria: 'Observation?_compartment=%organization', interaction: ['read', 'create'] },
      ],
    });
    const repo = await repoFor(w.admin, {
      ...clinicianMembership(w.policy, w.practitioner, []),
      accessPolicy: undefined,
      access: [enrollment(limited, w.clinicA)],
    });
    expect((await repo.readResource('Patient', patientA.id)).id).toBe(patientA.id);
    expect(ids(await repo.searchResources(parseSearchRequest('Patient')))).toEqual([patientA.id]);
    await expect(repo.updateResource({ ...patientA, gender: 'other' })).rejects.toThrow('Forbidden');
    await expect(repo.createResource<Patient>({ resourceType: 'Patient' })).rejects.toThrow('Forbidden');
    await expect(repo.deleteResource('Patient', patientA.id)).rejects.toThrow('Forbidden');

    expect((await repo.readResource('Observation', obs.id)).id).toBe(obs.id);
    await expect(repo.searchResources(parseSearchRequest('Observation'))).rejects.toThrow('Forbidden');
    await expect(repo.updateResource({ ...obs, status: 'amended' })).rejects.toThrow('Forbidden');
    const created = await createObservation(repo, patientA);
    expect(created.id).toBeDefined();
  });

  it('conditional create runs its search under the policy', async () => {
    const w = await createWorld();
    const clinicianA = await repoFor(w.admin, clinicianMembership(w.policy, w.practitioner, [w.clinicA]));
    const patient: Patient = { resourceType: 'Patient', identifier: [{ system: 'urn:mrn', value: '7' }] };
    const first = await clinicianA.conditionalCreate(patient, parseSearchRequest('Patient?identifier=urn:mrn|7'));
    const second = await clinicianA.conditionalCreate(patient, parseSearchRequest('Patient?identifier=urn:mrn|7'));
    expect(second.resource.id).toBe(first.resource.id);
    expect(second.outcome.id).toBe('ok');
  });
});

describe('createPolicyRepository: searching', () => {
  it('paging a filtered search: _count=20 gives 20 visible results, offsets walk the visible set, total counts it', async () => {
    const w = await createWorld();
    const visible: string[] = [];
    for (let i = 0; i < 50; i++) {
      // Interleave so that a page of the raw store would be half hidden.
      visible.push((await createPatient(w.admin, `A${i}`, [w.clinicA])).id);
      await createPatient(w.admin, `B${i}`, [w.clinicB]);
    }
    const repo = await repoFor(w.admin, clinicianMembership(w.policy, w.practitioner, [w.clinicA]));
    const seen: string[] = [];
    for (const offset of [0, 20, 40]) {
      const page = await repo.search(parseSearchRequest(`Patient?_count=20&_offset=${offset}`));
      expect(page.total).toBe(50);
      expect(page.entry?.length).toBe(offset === 40 ? 10 : 20);
      seen.push(...(page.entry ?? []).map((e) => e.resource?.id ?? ''));
    }
    expect(seen.sort()).toEqual(visible.sort());
    const sorted = await repo.searchResources(parseSearchRequest<Patient>('Patient?_count=3&_sort=-name'));
    expect(sorted.map((p) => p.name?.[0]?.family)).toEqual(['A9', 'A8', 'A7']);
  });

  it('a multi-type search (_type) is filtered per type and paged as one list', async () => {
    const w = await isolationWorld();
    const repo = await repoFor(w.admin, clinicianMembership(w.policy, w.practitioner, [w.clinicA]));
    const all = await repo.search(parseSearchRequest('MultipleTypes?_type=Patient,Observation'));
    expect(all.total).toBe(5);
    expect(ids((all.entry ?? []).map((e) => e.resource as Patient))).toEqual(
      ids([...w.patientsA, w.both, w.obsA, w.obsBoth])
    );
    const page = await repo.search(parseSearchRequest('MultipleTypes?_type=Patient,Observation&_count=2&_offset=2'));
    expect(page.entry?.map((e) => e.resource?.resourceType)).toEqual(['Patient', 'Observation']);
    await expect(repo.search(parseSearchRequest('MultipleTypes?_type=Patient,Condition'))).rejects.toThrow('Forbidden');
  });

  it('several access entries are combined with OR, each with its own criteria', async () => {
    const w = await isolationWorld();
    await createPatient(w.admin, 'Unenrolled', []); // matched by neither entry
    const consentOnly = await w.admin.createResource<AccessPolicy>({
      resourceType: 'AccessPolicy',
      resource: [{ resourceType: 'Patient', criteria: 'Patient?name=B1' }],
    });
    const repo = await repoFor(w.admin, {
      ...clinicianMembership(w.policy, w.practitioner, [w.clinicA]),
      access: [enrollment(w.policy, w.clinicA), { policy: createReference(consentOnly) }],
    });
    const page = await repo.search(parseSearchRequest('Patient?_count=2'));
    expect(page.total).toBe(4);
    expect(page.entry?.length).toBe(2);
    expect(ids(await repo.searchResources(parseSearchRequest('Patient')))).toEqual(
      ids([...w.patientsA, ...w.patientsB, w.both])
    );
  });

  it('a rule with a compartment and no criteria means that compartment', async () => {
    const w = await isolationWorld();
    const byCompartment = await w.admin.createResource<AccessPolicy>({
      resourceType: 'AccessPolicy',
      resource: [{ resourceType: 'Observation', compartment: { reference: '%organization' } }],
    });
    const repo = await repoFor(w.admin, {
      ...clinicianMembership(w.policy, w.practitioner, []),
      accessPolicy: undefined,
      access: [enrollment(byCompartment, w.clinicB)],
    });
    expect(ids(await repo.searchResources(parseSearchRequest('Observation')))).toEqual(ids([w.obsB, w.obsBoth]));
    await expect(repo.readResource('Observation', w.obsA.id)).rejects.toThrow('Not found');
  });

  it('_include and _revinclude only bring in what the member may see', async () => {
    const w = await isolationWorld();
    // An observation of clinic A (by its clinician) about a clinic-B patient: A sees it, not its subject.
    const clinicianA = await repoFor(w.admin, clinicianMembership(w.policy, w.practitioner, [w.clinicA]));
    const patientB = w.patientsB[0] as WithId<Patient>;
    const crossObs = await createObservation(clinicianA, patientB);

    const withSubjects = await clinicianA.search(parseSearchRequest('Observation?_include=Observation:subject'));
    const included = (withSubjects.entry ?? []).filter((e) => e.search?.mode === 'include').map((e) => e.resource?.id);
    expect(included).toContain(w.both.id);
    expect(included).not.toContain(patientB.id);
    expect((withSubjects.entry ?? []).map((e) => e.resource?.id)).toContain(crossObs.id);

    const withObservations = await clinicianA.search(parseSearchRequest('Patient?_revinclude=Observation:subject'));
    const revIncluded = (withObservations.entry ?? []).filter((e) => e.search?.mode === 'include').map((e) => e.resource?.id);
    expect(revIncluded.sort()).toEqual(ids([w.obsA, w.obsBoth]));
  });

  it('a project admin membership still gets admin types; policy stamping uses the project id', async () => {
    const w = await createWorld();
    const membership = await w.admin.createResource<ProjectMembership>({
      ...clinicianMembership(w.policy, w.practitioner, []),
      accessPolicy: undefined,
      admin: true,
    });
    const repo = createPolicyRepository(w.admin, { membership, accessPolicies: [], projectId: PROJECT_ID });
    expect(ids(await repo.searchResources(parseSearchRequest('ProjectMembership')))).toEqual([membership.id]);
    expect((await repo.readResource('AccessPolicy', w.policy.id)).id).toBe(w.policy.id);
  });
});
