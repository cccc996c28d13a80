/**
 * One test backend for both tiers: our local server (`npm test`) or a fresh project on a real
 * Medplum (`npm run test:real`, TEST_BACKEND=real). Test files written against this interface,
 * and the helpers in local-server.ts / engine.ts that accept it, run unchanged on both; they
 * observe the server only over HTTP.
 */
import { expect } from 'vitest';
import { MRN_SYSTEM } from '../../main/local-server/seed';
import { startLocalServer } from '../../main/local-server/server';
import type { LocalServer, LocalServerOptions } from './local-server';
import { createRealProject, realServerEnv, setProjectFhirQuota, setRealUserPassword } from './real-backend';

export type BackendKind = 'local' | 'real';

export interface TestBackend {
  readonly kind: BackendKind;
  /** With a trailing slash. */
  readonly baseUrl: string;
  /** A fresh project for this test file. */
  readonly projectId: string;
  /** That project's admin (not the super admin); sign in with the projectId. */
  readonly admin: { email: string; password: string };
  /** The MSO AccessPolicy installed in the project. */
  readonly seed: { msoPolicyId: string };
  readonly mrnSystem: string;
  /**
   * Sets this project's per-membership FHIR quota (points a minute). Real: super admin writes
   * Project.systemSetting userFhirQuota (and totalFhirQuota, ten times it) from the "Super Admin"
   * project; local: the local server's quota option. Takes effect at once on both.
   */
  setFhirQuota(pointsPerMinute: number): Promise<void>;
  /**
   * Sets a project user's password, as the invited person does through the invitation email
   * (neither backend sends one). Real: the super admin's `admin/super/setpassword`.
   * False when no user of the project has that email.
   */
  setUserPassword(email: string, password: string): Promise<boolean>;
  /** The local server itself, for local-only checks; undefined on the real tier. */
  readonly localServer: LocalServer | undefined;
  stop(): Promise<void>;
}

/**
 * Medplum's default per-membership FHIR quota (points a minute; design.md). The local backend
 * meters with it too, so a test that writes too much fails on both tiers alike.
 */
export const DEFAULT_FHIR_QUOTA = 50_000;

/** The kind this run uses: 'real' when TEST_BACKEND=real (npm run test:real), else 'local'. */
export function backendKind(): BackendKind {
  return process.env.TEST_BACKEND === 'real' ? 'real' : 'local';
}

export interface StartTestBackendOptions {
  readonly kind?: BackendKind;
  /** Options of the local server (ignored on the real tier). */
  readonly local?: LocalServerOptions;
}

export async function startTestBackend(options: StartTestBackendOptions = {}): Promise<TestBackend> {
  return (options.kind ?? backendKind()) === 'real' ? startRealBackend() : startLocalBackend(options.local ?? {});
}

async function startLocalBackend(options: LocalServerOptions): Promise<TestBackend> {
  // The ledger reads its options on every charge, so changing this object changes the quota at once.
  const quota = { pointsPerWindow: DEFAULT_FHIR_QUOTA, ...options.quota };
  const server = await startLocalServer({ seed: 'empty', ...options, quota });
  const msoPolicyId = server.seed?.msoPolicyId;
  if (!msoPolicyId) {
    throw new Error('The local backend needs a seeded server (not one loaded from a data file)');
  }
  return {
    kind: 'local',
    baseUrl: server.baseUrl,
    projectId: server.projectId,
    admin: { ...server.admin },
    seed: { msoPolicyId },
    mrnSystem: MRN_SYSTEM,
    async setFhirQuota(pointsPerMinute) {
      quota.pointsPerWindow = pointsPerMinute;
    },
    setUserPassword: (email, password) => server.setUserPassword(email, password),
    localServer: server,
    stop: () => server.stop(),
  };
}

async function startRealBackend(): Promise<TestBackend> {
  const env = realServerEnv();
  const project = await createRealProject(env, currentTestFileLabel());
  return {
    kind: 'real',
    baseUrl: project.baseUrl,
    projectId: project.projectId,
    admin: { ...project.admin },
    seed: { msoPolicyId: project.msoPolicyId },
    mrnSystem: MRN_SYSTEM,
    async setFhirQuota(pointsPerMinute) {
      await setProjectFhirQuota(await project.superAdmin(), project.projectId, pointsPerMinute);
    },
    async setUserPassword(email, password) {
      return setRealUserPassword(await project.superAdmin(), project.projectId, email, password);
    },
    localServer: undefined,
    // The project stays on the server (a throw-away test server); nothing is held open here.
    async stop() {},
  };
}

/** The running test file's name, so a project on the server says which file made it. */
function currentTestFileLabel(): string {
  const path = expect.getState().testPath ?? 'unknown';
  return path.split('/').slice(-2).join('/').replace(/\.test\.ts$/, '');
}
