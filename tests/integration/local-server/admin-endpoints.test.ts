import type { WithId } from '@medplum/core';
import type { Organization, Patient, ProjectMembership } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalServer, TestClinician } from '../../support/local-server';
import {
  createClinic,
  createClinician,
  createPatientInClinics,
  msoPolicyReference,
  signInAsAdmin,
  startTestServer,
} from '../../support/local-server';
import type { MedplumClient } from '@medplum/core';

describe('admin endpoints', () => {
  let server: LocalServer;
  let admin: MedplumClient;
  let clinicA: WithId<Organization>;
  let clinicB: WithId<Organization>;
  let clinician: TestClinician;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await signInAsAdmin(server);
    clinicA = await createClinic(admin, 'Admin A');
    clinicB = await createClinic(admin, 'Admin B');
    clinician = await createClinician(server, admin, [clinicA]);
  });
  afterAll(async () => {
    await server.stop();
  });

  function accessFor(clinic: WithId<Organization>): ProjectMembership['access'] {
    return [{ policy: msoPolicyReference(server), parameter: [{ name: 'organization', valueReference: { reference: `Organization/${clinic.id}` } }] }];
  }

  test('invite creates a project-scoped user, a Practitioner and a membership with the template', async () => {
    const stored = await admin.readResource('ProjectMembership', clinician.membership.id);
    expect(stored.accessPolicy?.reference).toBe(msoPolicyReference(server).reference);
    expect(stored.access?.[0]?.parameter?.[0]?.valueReference?.reference).toBe(`Organization/${clinicA.id}`);
    const practitioner = await admin.readReference(clinician.practitioner);
    expect(practitioner.resourceType).toBe('Practitioner');
    const user = await admin.readReference(stored.user as { reference: string });
    expect(user).toMatchObject({ resourceType: 'User', project: { reference: `Project/${server.projectId}` } });
  });

  test('inviting an existing member again is 409 "already a member" and changes nothing', async () => {
    const before = await admin.readResource('ProjectMembership', clinician.membership.id);
    await expect(
      admin.invite(server.projectId, {
        resourceType: 'Practitioner', firstName: 'Test', lastName: 'Again', email: clinician.email, sendEmail: false, scope: 'project',
        membership: { access: accessFor(clinicB) },
      })
    ).rejects.toThrow(/already a member/);
    const after = await admin.readResource('ProjectMembership', clinician.membership.id);
    expect(after.meta?.versionId).toBe(before.meta?.versionId);
  });

  test('an upsert invite replaces access and drops the base accessPolicy, as the real server does', async () => {
    const target = await createClinician(server, admin, [clinicA]);
    const result = (await admin.invite(server.projectId, {
      resourceType: 'Practitioner', firstName: 'Test', lastName: 'Upsert', email: target.email, sendEmail: false, scope: 'project',
      upsert: true,
      membership: { access: accessFor(clinicB) },
    })) as ProjectMembership;
    expect(result.id).toBe(target.membership.id);
    const stored = await admin.readResource('ProjectMembership', target.membership.id);
    expect(stored.access?.map((a) => a.parameter?.[0]?.valueReference?.reference)).toEqual([`Organization/${clinicB.id}`]);
    expect(stored.accessPolicy).toBeUndefined();
  });

  test('POST members/:id replaces the membership and ignores a stale If-Match', async () => {
    const target = await createClinician(server, admin, [clinicA]);
    const current = await admin.readResource('ProjectMembership', target.membership.id);
    const staleVersion = current.meta?.versionId as string;
    await admin.updateResource({ ...current, access: accessFor(clinicB) }); // moves the version on
    const latest = await admin.readResource('ProjectMembership', target.membership.id);
    expect(latest.meta?.versionId).not.toBe(staleVersion);

    const response = await fetch(`${server.baseUrl}admin/projects/${server.projectId}/members/${target.membership.id}`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${admin.getAccessToken()}`,
        'Content-Type': 'application/json',
        'If-Match': `W/"${staleVersion}"`,
      },
      body: JSON.stringify({ ...latest, access: [...(latest.access ?? []), ...(accessFor(clinicA) ?? [])] }),
    });
    expect(response.status).toBe(200);
    const stored = await admin.readResource('ProjectMembership', target.membership.id);
    expect(stored.access?.length).toBe(2);
  });

  test('a FHIR PUT of a membership with a stale If-Match gets 412 and leaves it unchanged', async () => {
    const target = await createClinician(server, admin, [clinicA]);
    const original = await admin.readResource('ProjectMembership', target.membership.id);
    await admin.updateResource({ ...original, access: accessFor(clinicB) });
    const put = await fetch(`${server.baseUrl}fhir/R4/ProjectMembership/${original.id}`, {
      method: 'PUT',
      headers: {
        Authorization: `Bearer ${admin.getAccessToken()}`,
        'Content-Type': 'application/fhir+json',
        'If-Match': `W/"${original.meta?.versionId}"`,
      },
      body: JSON.stringify({ ...original, access: [] }),
    });
    expect(put.status).toBe(412);
    const stored = await admin.readResource('ProjectMembership', original.id as string);
    expect(stored.access?.[0]?.parameter?.[0]?.valueReference?.reference).toBe(`Organization/${clinicB.id}`);
  });

  test('GET and DELETE members/:id', async () => {
    const target = await createClinician(server, admin, [clinicA]);
    const got = (await admin.get(`admin/projects/${server.projectId}/members/${target.membership.id}`)) as ProjectMembership;
    expect(got.id).toBe(target.membership.id);
    await admin.delete(`admin/projects/${server.projectId}/members/${target.membership.id}`);
    await expect(admin.readResource('ProjectMembership', target.membership.id)).rejects.toThrow(/Gone/i); // 410, as on Medplum
    // Its tokens stop working with it.
    await expect(target.client.searchResources('Patient')).rejects.toThrow();
  });

  test('members who are not project admins get 403 on admin endpoints and $set-accounts', async () => {
    const c = clinician.client;
    const patient: WithId<Patient> = await createPatientInClinics(admin, [clinicA]);
    await expect(c.get(`admin/projects/${server.projectId}`)).rejects.toThrow(/Forbidden/);
    await expect(c.get(`admin/projects/${server.projectId}/members/${clinician.membership.id}`)).rejects.toThrow(/Forbidden/);
    await expect(
      c.invite(server.projectId, { resourceType: 'Practitioner', firstName: 'X', lastName: 'Y', email: 'x@example.test', sendEmail: false })
    ).rejects.toThrow(/Forbidden/);
    await expect(
      c.post(c.fhirUrl('Patient', patient.id, '$set-accounts'), {
        resourceType: 'Parameters',
        parameter: [{ name: 'accounts', valueReference: { reference: `Organization/${clinicB.id}` } }],
      })
    ).rejects.toThrow(/Forbidden/);
    const unchanged = await admin.readResource('Patient', patient.id);
    expect(unchanged.meta?.accounts?.map((a) => a.reference)).toEqual([`Organization/${clinicA.id}`]);
    const users = await admin.searchResources('User', { email: 'x@example.test' });
    expect(users).toHaveLength(0);
  });

  test('$set-accounts runs for an admin, synchronously or as a polled async job', async () => {
    const patient = await createPatientInClinics(admin, [clinicA]);
    await admin.post(admin.fhirUrl('Patient', patient.id, '$set-accounts'), {
      resourceType: 'Parameters',
      parameter: [
        { name: 'accounts', valueReference: { reference: `Organization/${clinicB.id}` } },
        { name: 'propagate', valueBoolean: true },
      ],
    });
    expect((await admin.readResource('Patient', patient.id)).meta?.accounts?.map((a) => a.reference)).toEqual([
      `Organization/${clinicB.id}`,
    ]);

    const job = await admin.post(
      admin.fhirUrl('Patient', patient.id, '$set-accounts'),
      {
        resourceType: 'Parameters',
        parameter: [
          { name: 'accounts', valueReference: { reference: `Organization/${clinicA.id}` } },
          { name: 'accounts', valueReference: { reference: `Organization/${clinicB.id}` } },
          { name: 'propagate', valueBoolean: true },
        ],
      },
      undefined,
      { headers: { Prefer: 'respond-async' }, pollStatusOnAccepted: true, pollStatusPeriod: 20 }
    );
    expect(job).toMatchObject({ resourceType: 'AsyncJob', status: 'completed' });
    expect((await admin.readResource('Patient', patient.id)).meta?.accounts?.map((a) => a.reference).sort()).toEqual(
      [`Organization/${clinicA.id}`, `Organization/${clinicB.id}`].sort()
    );
  });
});
