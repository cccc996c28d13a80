import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Patient } from '@medplum/fhirtypes';
import { afterAll, describe, expect, test } from 'vitest';
import { signIn, signInAsAdmin, startTestServer } from '../../support/local-server';

describe('data file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mso-local-server-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('data survives a restart; the admin password is reset and no password is written', async () => {
    const data = join(dir, 'sandbox.json');
    const first = await startTestServer({ data, adminPassword: 'first-password-123' });
    const admin = await signInAsAdmin(first);
    const patient = await admin.createResource<Patient>({ resourceType: 'Patient', name: [{ family: 'Persisted' }] });
    await first.stop();

    const text = readFileSync(data, 'utf8');
    expect(text).not.toContain('first-password-123');
    expect(text).toContain('Persisted');

    const second = await startTestServer({ data, adminPassword: 'second-password-456' });
    try {
      expect(second.projectId).toBe(first.projectId);
      await expect(signIn(second, second.admin.email, 'first-password-123')).rejects.toThrow();
      const again = await signIn(second, second.admin.email, 'second-password-456');
      const read = await again.readResource('Patient', patient.id);
      expect(read.name?.[0]?.family).toBe('Persisted');
      expect(read.meta?.versionId).toBe(patient.meta?.versionId);
    } finally {
      await second.stop();
    }
  });
});
