/**
 * A fresh project on a real Medplum server for one test file, made only over HTTP:
 * the super admin creates the project (`auth/login` with projectId "new", then `auth/newproject`),
 * invites a project-scoped administrator with a password (the kit's server sends no email), and
 * that administrator installs the MSO policy with the console's own engine.
 */
import { randomBytes } from 'node:crypto';
import type { MedplumClient } from '@medplum/core';
import type { LoginAuthenticationResponse } from '@medplum/core';
import type { Project, ProjectSetting } from '@medplum/fhirtypes';
import { z } from 'zod';
import { installMsoPolicy } from '../../main/engines/install-policy';
import { newClient, preparePkce, signIn } from './local-server';

/** Where the real server is and who its super admin is: what `start.sh` of the kit prints. */
export interface RealServerEnv {
  readonly baseUrl: string;
  readonly email: string;
  readonly password: string;
}

const realEnvSchema = z.object({
  MEDPLUM_BASE_URL: z.url(),
  MEDPLUM_ADMIN_EMAIL: z.email(),
  MEDPLUM_ADMIN_PASSWORD: z.string().min(1),
});

export function realServerEnv(env: NodeJS.ProcessEnv = process.env): RealServerEnv {
  const parsed = realEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      'The real-Medplum tier needs MEDPLUM_BASE_URL, MEDPLUM_ADMIN_EMAIL and MEDPLUM_ADMIN_PASSWORD (a super admin): run it with `npm run test:real` (docs/testing.md)'
    );
  }
  const base = parsed.data.MEDPLUM_BASE_URL;
  return {
    baseUrl: base.endsWith('/') ? base : `${base}/`,
    email: parsed.data.MEDPLUM_ADMIN_EMAIL,
    password: parsed.data.MEDPLUM_ADMIN_PASSWORD,
  };
}

/** The seeded super-admin project's name on every Medplum server (seed.ts). */
const SUPER_ADMIN_PROJECT = 'Super Admin';

export interface RealProject {
  readonly baseUrl: string;
  readonly projectId: string;
  readonly admin: { readonly email: string; readonly password: string };
  readonly msoPolicyId: string;
  /** The super admin signed in to the "Super Admin" project (made on first use). */
  superAdmin(): Promise<MedplumClient>;
}

const loginResponseSchema = z.object({ login: z.string(), code: z.string().optional() });

export async function createRealProject(env: RealServerEnv, label: string): Promise<RealProject> {
  const server = { baseUrl: env.baseUrl };
  // projectId "new" makes a login with no membership, which auth/newproject requires.
  const owner = newClient(server);
  const login = (await owner.startLogin({ email: env.email, password: env.password, projectId: 'new', ...preparePkce(owner) })) as LoginAuthenticationResponse;
  const made = loginResponseSchema.parse(await owner.post('auth/newproject', { login: login.login, projectName: projectNameFor(label) }));
  if (!made.code) {
    throw new Error('auth/newproject returned no code');
  }
  await owner.processCode(made.code);
  const projectId = owner.getProject()?.id;
  if (!projectId) {
    throw new Error('The new project has no id in the sign-in');
  }

  const admin = { email: `mso-admin.${randomBytes(6).toString('hex')}@example.test`, password: `pw-${randomBytes(12).toString('base64url')}` };
  await owner.post(`admin/projects/${projectId}/invite`, {
    resourceType: 'Practitioner',
    firstName: 'Project',
    lastName: 'Admin',
    email: admin.email,
    password: admin.password,
    sendEmail: false,
    scope: 'project',
    membership: { admin: true },
  });

  const adminClient = await signIn(server, admin.email, admin.password, projectId);
  const { policy } = await installMsoPolicy({ client: adminClient });

  let superAdmin: Promise<MedplumClient> | undefined;
  return {
    baseUrl: env.baseUrl,
    projectId,
    admin,
    msoPolicyId: policy.id,
    superAdmin: () => (superAdmin ??= signInToSuperAdminProject(env)),
  };
}

/** Project names are 4..72 characters; the label (the test file) helps find a project in the server's log. */
function projectNameFor(label: string): string {
  return `MSO test ${label}`.slice(0, 60) + ` ${randomBytes(4).toString('hex')}`;
}

const membershipChoiceSchema = z.object({
  login: z.string(),
  code: z.string().optional(),
  memberships: z.array(z.object({ id: z.string(), project: z.object({ display: z.string().optional() }).optional() })).optional(),
});

async function signInToSuperAdminProject(env: RealServerEnv): Promise<MedplumClient> {
  const client = newClient({ baseUrl: env.baseUrl });
  const login = membershipChoiceSchema.parse(await client.startLogin({ email: env.email, password: env.password, ...preparePkce(client) }));
  let code = login.code;
  if (!code) {
    const membership = login.memberships?.find((m) => m.project?.display === SUPER_ADMIN_PROJECT);
    if (!membership) {
      throw new Error(`The super admin has no membership in a project named "${SUPER_ADMIN_PROJECT}"`);
    }
    code = z.object({ code: z.string() }).parse(await client.post('auth/profile', { login: login.login, profile: membership.id })).code;
  }
  await client.processCode(code);
  return client;
}

/** Writes the per-membership and per-project FHIR quotas (points a minute) of one project. */
export async function setProjectFhirQuota(superAdmin: MedplumClient, projectId: string, pointsPerMinute: number): Promise<void> {
  const project = await superAdmin.readResource('Project', projectId, { cache: 'no-cache' } as RequestInit);
  const others = (project.systemSetting ?? []).filter((s) => s.name !== 'userFhirQuota' && s.name !== 'totalFhirQuota');
  const quota: ProjectSetting[] = [
    { name: 'userFhirQuota', valueInteger: pointsPerMinute },
    // Medplum's own default: a project may spend ten times what one membership may.
    { name: 'totalFhirQuota', valueInteger: pointsPerMinute * 10 },
  ];
  await superAdmin.updateResource<Project>({ ...project, systemSetting: [...others, ...quota] });
}

/** Sets a user's password as the super admin (what the invitation email would let the person do). */
export async function setRealUserPassword(superAdmin: MedplumClient, projectId: string, email: string, password: string): Promise<boolean> {
  try {
    await superAdmin.post('admin/super/setpassword', { email, password, projectId });
    return true;
  } catch (err) {
    if (err instanceof Error && /User not found/i.test(err.message)) {
      return false;
    }
    throw err;
  }
}
