import type { MedplumClient, WithId } from '@medplum/core';
import type { AccessPolicy } from '@medplum/fhirtypes';
import { AppError } from '../errors/app-error';
import { fresh } from './engine-context';
import type { MsoPolicyVariant, PolicyDifference } from './mso-access-policy';
import { diffPolicies, expectedMsoPolicy, MSO_POLICY_NAME } from './mso-access-policy';
import type { ActivityContext } from './record-activity';
import { withActivity } from './record-activity';
import { toAppError } from './server-errors';
import { updateWithRetry } from './update-with-retry';

export interface InstallPolicyResult {
  readonly policy: WithId<AccessPolicy>;
  readonly action: 'created' | 'updated' | 'unchanged';
  /** What the upgrade changed (empty when created or unchanged). */
  readonly changed: PolicyDifference[];
}

/**
 * Installs the MSO policy, or upgrades the one already installed under its name in place (so
 * every membership that references it gets the change at once). A second run writes nothing.
 */
export async function installMsoPolicy(
  ctx: ActivityContext,
  variant?: MsoPolicyVariant
): Promise<InstallPolicyResult> {
  const installed = await findInstalledPolicy(ctx.client);
  // A hardened policy (no compartment: the audit's repair) stays hardened through upgrades.
  const expected = expectedMsoPolicy(variant, !!installed && !installed.compartment);
  if (installed && diffPolicies(expected, installed).length === 0) {
    return { policy: installed, action: 'unchanged', changed: [] };
  }
  if (!installed) {
    const policy = await withActivity(ctx, 'policy.install', [], async () => {
      try {
        return await ctx.client.createResource<AccessPolicy>(expected);
      } catch (err) {
        throw toAppError(err, 'install the MSO access policy');
      }
    }, (p) => ({ policy: `AccessPolicy/${p.id}` }));
    return { policy, action: 'created', changed: [] };
  }
  const changed = diffPolicies(expected, installed);
  const policy = await withActivity(
    ctx,
    'policy.upgrade',
    [`AccessPolicy/${installed.id}`],
    () =>
      updateWithRetry<AccessPolicy>(ctx.client, 'AccessPolicy', installed.id, (current) => ({
        ...current,
        ...expected,
        id: current.id,
        meta: current.meta,
      }), 'upgrade the MSO access policy'),
    () => ({ differences: changed.length })
  );
  return { policy: policy.resource, action: 'updated', changed };
}

/** The installed MSO policy and how it differs from the expected one (undefined: not installed). */
export async function diffInstalledPolicy(
  client: MedplumClient,
  variant?: MsoPolicyVariant
): Promise<{ installed: WithId<AccessPolicy> | undefined; differences: PolicyDifference[] }> {
  const installed = await findInstalledPolicy(client);
  return { installed, differences: installed ? diffPolicies(expectedMsoPolicy(variant, !installed.compartment), installed) : [] };
}

/**
 * The policy named exactly MSO_POLICY_NAME. FHIR `name` search matches by prefix, so the exact
 * name is checked here; two policies with the name is a mess a person must clear up.
 */
export async function findInstalledPolicy(client: MedplumClient): Promise<WithId<AccessPolicy> | undefined> {
  let found: WithId<AccessPolicy>[];
  try {
    found = (await client.searchResources('AccessPolicy', { name: MSO_POLICY_NAME, _count: '100' }, fresh())).filter(
      (p) => p.name === MSO_POLICY_NAME
    );
  } catch (err) {
    throw toAppError(err, 'read the access policies');
  }
  if (found.length > 1) {
    throw new AppError(
      'conflict',
      `There are ${found.length} access policies named "${MSO_POLICY_NAME}". Rename or delete the ones not in use, then try again.`,
      found.map((p) => `AccessPolicy/${p.id}`).join(', ')
    );
  }
  return found[0];
}
