/** `fhir/R4/job/:id/status` is read as the caller, so access policies apply to AsyncJob too. */
import type { AsyncJob, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalServer } from '../../support/local-server';
import { createClinic, createClinician, createPatientInClinics, signInAsAdmin, startTestServer } from '../../support/local-server';

describe('async job status', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  test('the admin who started the job reads it; a clinician whose policy has no AsyncJob cannot', async () => {
    const admin = await signInAsAdmin(server);
    const clinic = await createClinic(admin);
    const patient: Patient = await createPatientInClinics(admin, [clinic]);
    const clinician = await createClinician(server, admin, [clinic]);

    const started = await fetch(`${server.baseUrl}fhir/R4/Patient/${patient.id}/$set-accounts`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin.getAccessToken()}`, 'Content-Type': 'application/fhir+json', Prefer: 'respond-async' },
      body: JSON.stringify({
        resourceType: 'Parameters',
        parameter: [{ name: 'accounts', valueReference: { reference: `Organization/${clinic.id}` } }, { name: 'propagate', valueBoolean: true }],
      }),
    });
    expect(started.status).toBe(202);
    const statusUrl = started.headers.get('content-location') as string;
    await server.settle();

    const byAdmin = await fetch(statusUrl, { headers: { Authorization: `Bearer ${admin.getAccessToken()}` } });
    expect(byAdmin.status).toBe(200);
    expect(((await byAdmin.json()) as AsyncJob).status).toBe('completed');

    const byClinician = await fetch(statusUrl, { headers: { Authorization: `Bearer ${clinician.client.getAccessToken()}` } });
    expect(byClinician.status).toBe(403);
    const body = (await byClinician.json()) as { resourceType: string; status?: string };
    expect(body.resourceType).toBe('OperationOutcome');
    expect(body.status).toBeUndefined();
  });
});
