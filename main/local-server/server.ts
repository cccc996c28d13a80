import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { notFound, serverError, tooManyRequests } from '@medplum/core';
import { FhirRouter } from '@medplum/fhir-router';
import type { Project } from '@medplum/fhirtypes';
import { handleAdminRoute } from './admin-routes';
import { AuthService } from './auth-service';
import { handleAuthRoute } from './auth-routes';
import { BackgroundTasks } from './background-tasks';
import { loadFhirDefinitions } from './repo/definitions';
import type { FaultInjectionOptions } from './fault-injector';
import { FaultInjector } from './fault-injector';
import { FHIR_PREFIX, handleFhirRoute } from './fhir-endpoint';
import { errorToResponse, readBody, sendJson, sendOutcome } from './http-io';
import { isLoopbackHost } from './loopback-host';
import { LocalMemoryStore } from './memory-store';
import { generateSecret } from './passwords';
import { DebouncedDataFileWriter, loadDataFile, sandboxData } from './persistence';
import { AccountsRepository } from './repo/accounts-repository';
import { installPagedSearch } from './search-paging';
import type { SeedKind, SeedSummary } from './seed';
import { createProject, DEFAULT_ADMIN_EMAIL, resetDemoPasswords, seedProject } from './seed';
import type { HttpRequest, ServerContext } from './server-context';
import { TransactionGate } from './transaction-gate';
import type { WriteQuotaOptions } from './write-quota';
import { rateLimitHeaders, WriteQuotaLedger } from './write-quota';

export interface LocalServerOptions {
  /** 0 or unset: a free port. */
  readonly port?: number;
  /** Loopback by default; this server is not meant to be reachable from elsewhere. */
  readonly host?: string;
  /** Needed for a `host` that is not loopback (see isLoopbackHost); without it such a host is refused. */
  readonly allowRemote?: boolean;
  /** JSON file to keep the data in between runs (loaded at start, written after changes). */
  readonly data?: string;
  /** What a new (not loaded) sandbox starts with. Default 'demo'. */
  readonly seed?: SeedKind;
  /** Demo patients per clinic (default 100); tests may want fewer. */
  readonly patientsPerClinic?: number;
  readonly projectName?: string;
  /** Project features for a new project, e.g. ['transaction-bundles']. */
  readonly projectFeatures?: Project['features'];
  readonly adminEmail?: string;
  /** Set on every start; random when not given (see `LocalServer.admin`). */
  readonly adminPassword?: string;
  /** Password of the demo clinicians; random when not given. */
  readonly clinicianPassword?: string;
  /** Access token lifetime; refresh tokens do not expire. Default one hour. */
  readonly accessTokenLifetimeSeconds?: number;
  /** The hosted write quota; off unless given. */
  readonly quota?: WriteQuotaOptions;
  /** Seeded fault injection; off unless given. */
  readonly faults?: FaultInjectionOptions;
}

export interface LocalServer {
  /** With a trailing slash, ready for `new MedplumClient({ baseUrl })`. */
  readonly baseUrl: string;
  readonly port: number;
  readonly host: string;
  readonly projectId: string;
  readonly admin: { readonly email: string; readonly password: string };
  readonly clinicianPassword: string;
  /** What the seed made; undefined when the data came from the data file. */
  readonly seed: SeedSummary | undefined;
  readonly store: LocalMemoryStore;
  readonly faults: FaultInjector | undefined;
  /** Replaces the project's features (a super-admin change on a real server). */
  setProjectFeatures(features: Project['features']): Promise<void>;
  /**
   * Sets a user's password, as the invited person does through the invitation email (which this
   * server never sends). Returns false when no user has that email in the project.
   */
  setUserPassword(email: string, password: string): Promise<boolean>;
  /** Waits for background jobs (async $set-accounts) to finish. */
  settle(): Promise<void>;
  /** Stops listening, waits for jobs, writes the data file. */
  stop(): Promise<void>;
}

export async function startLocalServer(options: LocalServerOptions = {}): Promise<LocalServer> {
  loadFhirDefinitions();
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackHost(host) && !options.allowRemote) {
    throw new Error(`Refusing to listen on ${host}: not a loopback address. This test server is not for the network; pass allowRemote (--allow-remote) to do it anyway.`);
  }
  const store = new LocalMemoryStore();
  let baseUrl = '';
  const auth = new AuthService(store, {
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3600,
    issuer: () => baseUrl,
  });

  const loaded = options.data ? loadDataFile(options.data) : undefined;
  let project: Project & { id: string };
  let seed: SeedSummary | undefined;
  let accountsRepo: AccountsRepository;
  const adminEmail = options.adminEmail ?? DEFAULT_ADMIN_EMAIL;
  if (loaded) {
    await store.importResources(loaded.resources);
    for (const [userId, hash] of Object.entries(loaded.passwordHashes)) {
      auth.passwordHashes.set(userId, hash);
    }
    for (const [clientId, hash] of Object.entries(loaded.clientSecretHashes)) {
      auth.clientSecretHashes.set(clientId, hash);
    }
    const found = (await store.searchResources<Project>({ resourceType: 'Project' }))[0];
    if (!found) {
      throw new Error(`The data file ${options.data} holds no Project`);
    }
    project = found;
    accountsRepo = new AccountsRepository(store, project.id);
  } else {
    project = await createProject(store, options.projectName ?? 'MSO Sandbox', options.projectFeatures);
    accountsRepo = new AccountsRepository(store, project.id);
    seed = await seedProject(store, accountsRepo, project, options.seed ?? 'demo', adminEmail, options.patientsPerClinic);
  }
  const adminPassword = options.adminPassword ?? generateSecret(12);
  const clinicianPassword = options.clinicianPassword ?? generateSecret(12);
  await resetDemoPasswords(store, auth, adminEmail, adminPassword, clinicianPassword);

  const fhirRouter = new FhirRouter();
  installPagedSearch(fhirRouter, () => `${baseUrl}${FHIR_PREFIX}/`);
  const ctx: ServerContext = {
    store,
    accountsRepo,
    auth,
    fhirRouter,
    gate: new TransactionGate(),
    background: new BackgroundTasks(),
    quota: options.quota ? new WriteQuotaLedger(options.quota) : undefined,
    projectId: project.id,
    baseUrl: () => baseUrl,
  };
  const faults = options.faults ? new FaultInjector(options.faults) : undefined;

  const writer = options.data
    ? new DebouncedDataFileWriter(options.data, () =>
        sandboxData(store.exportResources(), Object.fromEntries(auth.passwordHashes), auth.clientSecretHashes)
      )
    : undefined;
  if (writer) {
    store.onChange(() => writer.scheduleSave());
    // Passwords were just (re)set and a new seed may not be on disk yet.
    await writer.flush();
    writer.scheduleSave();
  }

  const server = createServer((raw, res) => {
    void handleHttp(ctx, faults, raw, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;

  return {
    baseUrl,
    port,
    host,
    projectId: project.id,
    admin: { email: adminEmail, password: adminPassword },
    clinicianPassword,
    seed,
    store,
    faults,
    async setProjectFeatures(features) {
      const current = await store.readResource<Project>('Project', project.id);
      await store.updateResource<Project>({ ...current, features });
    },
    async setUserPassword(email, password) {
      const user = await auth.findUserByEmail(email, project.id);
      if (!user) return false;
      auth.setPassword(user.id, password);
      return true;
    },
    settle: () => ctx.background.settle(),
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await ctx.background.settle();
      await writer?.flush();
    },
  };
}

async function handleHttp(
  ctx: ServerContext,
  faults: FaultInjector | undefined,
  raw: IncomingMessage,
  res: ServerResponse
): Promise<void> {
  try {
    const url = new URL(raw.url ?? '/', ctx.baseUrl());
    const method = (raw.method ?? 'GET').toUpperCase();
    const path = url.pathname.replace(/^\/+/, '');

    const fault = faults?.decide(method, path);
    if (fault && fault.latencyMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
    }
    if (fault?.action === 'drop') {
      raw.socket.destroy();
      return;
    }
    if (fault?.action === 'error500') {
      sendOutcome(res, serverError(new Error('Injected fault')));
      return;
    }
    if (fault?.action === 'error429') {
      sendOutcome(res, tooManyRequests, {
        'Retry-After': '1',
        ...rateLimitHeaders({ limit: 0, remaining: 0, resetSeconds: 1, windowSeconds: 60 }),
      });
      return;
    }

    const body = method === 'GET' || method === 'HEAD' ? undefined : await readBody(raw);
    const req: HttpRequest = { raw, res, method, path, url, body };
    if (method === 'GET' && path === 'healthcheck') {
      sendJson(res, 200, { ok: true, server: 'mso-local-server' });
      return;
    }
    const handled =
      (await handleAuthRoute(ctx, req)) || (await handleAdminRoute(ctx, req)) || (await handleFhirRoute(ctx, req));
    if (!handled) {
      sendOutcome(res, notFound);
    }
  } catch (err) {
    const { status, outcome, headers } = errorToResponse(err);
    sendJson(res, status, outcome, headers, 'application/fhir+json');
  }
}
