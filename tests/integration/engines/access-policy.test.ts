import type { AccessPolicy } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { diffInstalledPolicy, findInstalledPolicy, installMsoPolicy } from '../../../main/engines/install-policy';
import { expectedMsoPolicy, MSO_POLICY_NAME, variantOf } from '../../../main/engines/mso-access-policy';
import type { TestBackend } from '../../support/backend';
import { startTestBackend } from '../../support/backend';
import { signInAsAdmin } from '../../support/local-server';
import { engineContext } from '../../support/engine';

async function policiesNamed(server: TestBackend, name: string): Promise<AccessPolicy[]> {
  const admin = await signInAsAdmin(server);
  return (await admin.searchResources('AccessPolicy', { _count: '100' }, { cache: 'no-cache' } as RequestInit)).filter((p) => p.name === name);
}

describe('MSO access policy install and upgrade', () => {
  let server: TestBackend;
  beforeAll(async () => {
    server = await startTestBackend();
  });
  afterAll(async () => {
    await server.stop();
  });

  test('the policy the sandbox seeds is exactly the expected one: nothing to write, no difference', async () => {
    const admin = await signInAsAdmin(server);
    const ctx = engineContext(server, admin);
    const result = await installMsoPolicy(ctx);
    expect(result.action).toBe('unchanged');
    expect((await diffInstalledPolicy(admin)).differences).toEqual([]);
    expect(ctx.activity.entries).toEqual([]);
  });

  test('a tampered policy shows its differences and is upgraded in place (same id), then left alone', async () => {
    const admin = await signInAsAdmin(server);
    const ctx = engineContext(server, admin);
    const installed = (await findInstalledPolicy(admin))!;
    const tampered = {
      ...installed,
      resource: [
        ...(installed.resource ?? []).filter((r) => r.resourceType !== 'Observation' && r.resourceType !== 'Patient'),
        { resourceType: 'Patient', criteria: 'Patient?_compartment=%organization', readonly: true },
        { resourceType: 'Task' },
      ],
    };
    await admin.updateResource(tampered);
    const { differences } = await diffInstalledPolicy(admin);
    expect(differences).toEqual(
      expect.arrayContaining([
        { scope: 'Observation', kind: 'missing-rule', expected: 'Observation?_compartment=%organization' },
        { scope: 'Patient', kind: 'readonly', expected: 'false', installed: 'true' },
        { scope: 'Task', kind: 'extra-rule', installed: 'every resource of the type' },
      ])
    );
    expect(differences).toHaveLength(3);

    const upgraded = await installMsoPolicy(ctx);
    expect(upgraded.action).toBe('updated');
    expect(upgraded.policy.id).toBe(installed.id);
    expect((await diffInstalledPolicy(admin)).differences).toEqual([]);
    expect((await installMsoPolicy(ctx)).action).toBe('unchanged');
    expect(ctx.activity.entries.map((e) => [e.action, e.result])).toEqual([['policy.upgrade', 'ok']]);
  });

  test('switching to the consent-gated and assigned-clinician variants rewrites every clinical criteria', async () => {
    const admin = await signInAsAdmin(server);
    const ctx = engineContext(server, admin);
    const consent = { reference: 'Consent/universal-1' };
    expect((await installMsoPolicy(ctx, { kind: 'consent-gated', consent })).action).toBe('updated');
    const gated = (await findInstalledPolicy(admin))!;
    expect(gated.resource?.find((r) => r.resourceType === 'Encounter')?.criteria).toBe(
      'Encounter?_compartment=%organization&_compartment=Consent/universal-1'
    );
    expect(variantOf(gated)).toEqual({ kind: 'consent-gated', consent });
    expect((await diffInstalledPolicy(admin)).differences.filter((d) => d.kind === 'criteria')).toHaveLength(6);

    await installMsoPolicy(ctx, { kind: 'assigned-clinician' });
    const assigned = (await findInstalledPolicy(admin))!;
    expect(assigned.resource?.find((r) => r.resourceType === 'Patient')?.criteria).toBe(
      'Patient?_compartment=%organization&_compartment=%profile'
    );
    expect(variantOf(assigned)).toEqual({ kind: 'assigned-clinician' });
    await installMsoPolicy(ctx);
    expect(variantOf((await findInstalledPolicy(admin))!)).toEqual({ kind: 'standard' });
  });

  test('with no policy installed, installMsoPolicy twice makes exactly one policy', async () => {
    const admin = await signInAsAdmin(server);
    const ctx = engineContext(server, admin);
    const seeded = (await findInstalledPolicy(admin))!;
    await admin.deleteResource('AccessPolicy', seeded.id);
    expect(await policiesNamed(server, MSO_POLICY_NAME)).toHaveLength(0);

    const [first, second] = [await installMsoPolicy(ctx), await installMsoPolicy(ctx)];
    expect(first.action).toBe('created');
    expect(second.action).toBe('unchanged');
    expect(second.policy.id).toBe(first.policy.id);
    const named = await policiesNamed(server, MSO_POLICY_NAME);
    expect(named).toHaveLength(1);
    expect({ ...named[0], id: undefined, meta: undefined }).toEqual({ ...expectedMsoPolicy(), id: undefined, meta: undefined });
  });

  test('two policies with the MSO name are a conflict the administrator must clear up', async () => {
    const admin = await signInAsAdmin(server);
    const extra = await admin.createResource(expectedMsoPolicy());
    await expect(installMsoPolicy(engineContext(server, admin))).rejects.toMatchObject({ code: 'conflict' });
    await admin.deleteResource('AccessPolicy', extra.id);
    expect((await installMsoPolicy(engineContext(server, admin))).action).toBe('unchanged');
  });
});
