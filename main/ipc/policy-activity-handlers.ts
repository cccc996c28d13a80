/** The MSO access policy (status, install, upgrade) and the local activity log. */
import type { PolicyStatus } from '../../preload/api/schemas/enrollment';
import { ensureUniversalConsent } from '../engines/consent';
import { diffInstalledPolicy, installMsoPolicy } from '../engines/install-policy';
import { MSO_POLICY_NAME, type MsoPolicyVariant, variantOf } from '../engines/mso-access-policy';
import type { SessionEngine } from '../enrollment/session-engine';
import { AppError } from '../errors/app-error';
import type { Handler } from './dispatcher';

async function policyStatus(engine: SessionEngine): Promise<PolicyStatus> {
  const ctx = await engine.read();
  const { installed } = await diffInstalledPolicy(ctx.client);
  if (!installed) return { installed: false, name: MSO_POLICY_NAME, variant: null, differences: [] };
  const variant = variantOf(installed);
  // An installed policy that matches no variant is compared with the standard one.
  const { differences } = await diffInstalledPolicy(ctx.client, variant);
  return {
    installed: true,
    name: MSO_POLICY_NAME,
    variant: variant?.kind ?? null,
    differences: differences.map((difference) => ({
      scope: difference.scope,
      kind: difference.kind,
      expected: difference.expected ?? '',
      installed: difference.installed ?? '',
    })),
  };
}

export function createPolicyActivityHandlers(engine: SessionEngine): {
  getPolicyStatus: Handler<'getPolicyStatus'>;
  installPolicy: Handler<'installPolicy'>;
  listActivity: Handler<'listActivity'>;
} {
  return {
    getPolicyStatus: () => policyStatus(engine),
    installPolicy: async ({ variant }) => {
      const session = engine.session();
      if (!session.isProjectAdmin) {
        throw new AppError('forbidden', 'Installing the access policy needs a project administrator. Sign in with one.');
      }
      const ctx = await engine.read();
      let chosen: MsoPolicyVariant;
      if (variant === 'consent-gated') {
        let consent = await engine.consentReference();
        if (!consent) {
          consent = `Consent/${(await ensureUniversalConsent(ctx)).id}`;
          engine.consentChanged();
        }
        chosen = { kind: 'consent-gated', consent: { reference: consent } };
      } else {
        chosen = { kind: variant };
      }
      const result = await installMsoPolicy(ctx, chosen);
      engine.policyChanged();
      const words = { created: 'installed', updated: 'upgraded', unchanged: 'already up to date' } as const;
      return { value: await policyStatus(engine), summary: `The MSO access policy is ${words[result.action]}.` };
    },
    listActivity: async ({ offset, count, action, result, record, since }) => {
      const page = await engine.activityLog().read({
        offset,
        count,
        filter: (entry) =>
          (!action || entry.action === action) &&
          (!result || entry.result === result) &&
          (!record || entry.targets.includes(record) || entry.actor === record) &&
          (!since || entry.time >= since),
      });
      return {
        total: page.total,
        entries: page.entries.map((entry) => ({
          time: entry.time,
          actor: entry.actor,
          action: entry.action,
          targets: [...entry.targets],
          result: entry.result,
          detail: { ...(entry.detail ?? {}) },
        })),
      };
    },
  };
}
