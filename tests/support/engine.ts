import type { MedplumClient } from '@medplum/core';
import type { EngineContext } from '../../main/engines/engine-context';
import { MemoryActivityLog } from '../../main/engines/activity-log';
import { MRN_SYSTEM } from '../../main/local-server/seed';
import type { ServerUnderTest } from './local-server';
import { msoPolicyReference, newClient, preparePkce } from './local-server';

/** An engine context over a signed-in admin, recording activity in memory. */
export function engineContext(
  server: ServerUnderTest & { readonly mrnSystem?: string },
  admin: MedplumClient,
  overrides: Partial<EngineContext> = {}
): EngineContext & { activity: MemoryActivityLog } {
  return {
    client: admin,
    projectId: server.projectId,
    msoPolicy: msoPolicyReference(server),
    mrnSystem: server.mrnSystem ?? MRN_SYSTEM,
    activity: new MemoryActivityLog(),
    ...overrides,
  } as EngineContext & { activity: MemoryActivityLog };
}

/**
 * Signs a clinician in to one chosen membership (strict isolation gives them several, and the
 * server then answers auth/login with the list instead of a code).
 */
export async function signInToMembership(
  server: Pick<ServerUnderTest, 'baseUrl' | 'projectId'>,
  email: string,
  password: string,
  membershipId?: string
): Promise<MedplumClient> {
  const client = newClient(server);
  const login = await client.startLogin({ email, password, projectId: server.projectId, scope: 'openid offline', ...preparePkce(client) });
  let code = login.code;
  if (!code) {
    if (!membershipId) {
      throw new Error(`${login.memberships?.length ?? 0} memberships: say which one`);
    }
    const chosen = (await client.post('auth/profile', { login: login.login, profile: membershipId })) as { code?: string };
    code = chosen.code;
  }
  if (!code) {
    throw new Error('No code from sign-in');
  }
  await client.processCode(code);
  return client;
}

/** The ids of the patients a client can find (one big page is plenty in these tests). */
export async function visiblePatientIds(client: MedplumClient): Promise<string[]> {
  const bundle = await client.search('Patient', { _count: '1000' }, { cache: 'no-cache' } as RequestInit);
  return (bundle.entry ?? []).map((e) => e.resource?.id as string).sort();
}
