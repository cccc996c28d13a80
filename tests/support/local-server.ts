import { createHash, randomBytes } from 'node:crypto';
import type { WithId } from '@medplum/core';
import { ClientStorage, MedplumClient, MemoryStorage } from '@medplum/core';
import type { AccessPolicy, Organization, Patient, Practitioner, ProjectMembership, Reference } from '@medplum/fhirtypes';
import type { LocalServer, LocalServerOptions } from '../../main/local-server/server';
import { startLocalServer } from '../../main/local-server/server';
import { fetchWaitingOutAuthLimit } from './auth-throttle';

export type { LocalServer, LocalServerOptions };

/**
 * What the helpers need of a server: a LocalServer and a TestBackend (tests/support/backend.ts)
 * both fit, so one test file runs against either.
 */
export interface ServerUnderTest {
  readonly baseUrl: string;
  readonly projectId: string;
  readonly admin: { readonly email: string; readonly password: string };
  readonly seed?: { readonly msoPolicyId: string } | undefined;
}

let counter = 0;

/**
 * A local server for one test file: empty seed (project, admin, MSO policy) unless told otherwise.
 * Refused on the real-Medplum tier, so that no file counts as run on the real server while it
 * talks to the local one (tests/support/backend.ts starts either).
 */
export function startTestServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  if (process.env.TEST_BACKEND === 'real') {
    throw new Error(
      'This file is in the real-Medplum tier but starts the local server itself: use startTestBackend() (tests/support/backend.ts), or list it in tests/real/tier.json "notOnReal" with the reason'
    );
  }
  return startLocalServer({ seed: 'empty', ...options });
}

const storages = new WeakMap<MedplumClient, ClientStorage>();

/** A stock MedplumClient pointed at the server, using Node's fetch (sign-ins wait out the server's auth rate limit). */
export function newClient(server: Pick<ServerUnderTest, 'baseUrl'>, options: { clientId?: string; refreshGracePeriod?: number } = {}): MedplumClient {
  const storage = new ClientStorage(new MemoryStorage());
  const client = new MedplumClient({
    baseUrl: server.baseUrl,
    fetch: fetchWaitingOutAuthLimit,
    storage,
    ...options,
  });
  storages.set(client, storage);
  return client;
}

/**
 * An S256 PKCE pair. MedplumClient's own helper needs `window.btoa` and otherwise falls back to
 * `plain`; in Node we make the pair and leave the verifier where processCode looks for it.
 */
export function preparePkce(client: MedplumClient): { codeChallenge: string; codeChallengeMethod: 'S256' } {
  const verifier = randomBytes(32).toString('base64url');
  storages.get(client)?.setString('codeVerifier', verifier);
  return { codeChallenge: createHash('sha256').update(verifier).digest('base64url'), codeChallengeMethod: 'S256' };
}

/** Signs in through auth/login + oauth2/token (PKCE), as the console does. */
export async function signIn(
  server: Pick<ServerUnderTest, 'baseUrl'>,
  email: string,
  password: string,
  projectId?: string,
  clientOptions: { refreshGracePeriod?: number } = {}
): Promise<MedplumClient> {
  const client = newClient(server, clientOptions);
  // 'offline', as the console asks: Medplum gives a refresh token only then.
  const response = await client.startLogin({ email, password, projectId, scope: 'openid offline', ...preparePkce(client) });
  if (!response.code) {
    throw new Error(`Sign-in for ${email} needs a membership choice (${response.memberships?.length ?? 0} memberships)`);
  }
  await client.processCode(response.code);
  return client;
}

/** The project's admin, signed in to that project (on a real server the admin is project-scoped). */
export function signInAsAdmin(server: ServerUnderTest): Promise<MedplumClient> {
  return signIn(server, server.admin.email, server.admin.password, server.projectId);
}

export function msoPolicyReference(server: Pick<ServerUnderTest, 'seed'>): Reference<AccessPolicy> {
  const id = server.seed?.msoPolicyId;
  if (!id) {
    throw new Error('This helper needs a freshly seeded server (seed summary missing)');
  }
  return { reference: `AccessPolicy/${id}` };
}

export function createClinic(admin: MedplumClient, name = `Clinic ${++counter}`): Promise<WithId<Organization>> {
  return admin.createResource<Organization>({ resourceType: 'Organization', name, active: true });
}

/** An admin create carrying meta.accounts: the patient belongs to exactly these clinics. */
export function createPatientInClinics(
  admin: MedplumClient,
  clinics: readonly WithId<Organization>[],
  family = `Patient${++counter}`
): Promise<WithId<Patient>> {
  const accounts = clinics.map((c) => ({ reference: `Organization/${c.id}` }));
  return admin.createResource<Patient>({
    resourceType: 'Patient',
    meta: { accounts, account: accounts[0] },
    name: [{ given: ['Test'], family }],
  });
}

export interface TestClinician {
  readonly client: MedplumClient;
  readonly email: string;
  readonly password: string;
  readonly membership: WithId<ProjectMembership>;
  readonly practitioner: Reference<Practitioner>;
}

/**
 * Invites a project-scoped clinician with one MSO access entry per clinic (and the MSO policy as
 * base accessPolicy), then signs them in with the projectId.
 */
export async function createClinician(
  server: ServerUnderTest,
  admin: MedplumClient,
  clinics: readonly WithId<Organization>[],
  email = `clinician${++counter}.${Date.now()}@example.test`
): Promise<TestClinician> {
  const policy = msoPolicyReference(server);
  const password = `pw-${counter}-${Math.random().toString(36).slice(2)}`;
  const membership = (await admin.invite(server.projectId, {
    resourceType: 'Practitioner',
    firstName: 'Test',
    lastName: `Clinician${counter}`,
    email,
    password,
    sendEmail: false,
    scope: 'project',
    membership: {
      accessPolicy: policy,
      access: clinics.map((clinic) => ({
        policy,
        parameter: [{ name: 'organization', valueReference: { reference: `Organization/${clinic.id}` } }],
      })),
    },
  })) as WithId<ProjectMembership>;
  const client = await signIn(server, email, password, server.projectId);
  return { client, email, password, membership, practitioner: membership.profile as Reference<Practitioner> };
}
