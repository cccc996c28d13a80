import type { MedplumClient, WithId } from '@medplum/core';
import type { Consent } from '@medplum/fhirtypes';
import { fresh, type EngineContext } from './engine-context';
import { withActivity } from './record-activity';
import { toAppError } from './server-errors';

/** Identifies the one universal Consent of the consent-gated MSO policy. */
export const UNIVERSAL_CONSENT_SYSTEM = 'https://mso-admin-console.app/consent';
export const UNIVERSAL_CONSENT_VALUE = 'universal';

/**
 * The universal active Consent (seed "Multi-Tenant MSO"): not about one patient; putting it in a
 * patient's accounts is what grants consent. Created once, found by identifier afterwards.
 */
export function ensureUniversalConsent(ctx: EngineContext): Promise<WithId<Consent>> {
  return withActivity(ctx, 'consent.ensure-universal', [], async () => {
    try {
      return await ctx.client.createResourceIfNoneExist<Consent>(
        {
          resourceType: 'Consent',
          identifier: [{ system: UNIVERSAL_CONSENT_SYSTEM, value: UNIVERSAL_CONSENT_VALUE }],
          status: 'active',
          scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
          category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] }],
          policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
        },
        `identifier=${UNIVERSAL_CONSENT_SYSTEM}|${UNIVERSAL_CONSENT_VALUE}`
      );
    } catch (err) {
      throw toAppError(err, 'set up the universal consent');
    }
  }, (c) => ({ consent: `Consent/${c.id}` }));
}

/** The universal Consent if it was set up already (a read only: nothing is created). */
export async function findUniversalConsent(client: MedplumClient): Promise<string | undefined> {
  const found = await client.searchOne('Consent', { identifier: `${UNIVERSAL_CONSENT_SYSTEM}|${UNIVERSAL_CONSENT_VALUE}` }, fresh());
  return found?.id ? `Consent/${found.id}` : undefined;
}
