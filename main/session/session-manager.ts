/**
 * The one Medplum session of the console, in main: sign-in by each method, restore from the
 * keychain, token refresh, expiry, sign-out and switching connections. The renderer only ever
 * sees `SessionInfo`; tokens and secrets stay here and in the keychain.
 */
import { randomUUID } from 'node:crypto';
import { ClientStorage, MedplumClient, getDisplayString } from '@medplum/core';
import type { ProjectMembership } from '@medplum/fhirtypes';
import type { Connection, Credentials, SessionEvent, SessionInfo, SignInResult } from '../../preload/api/schemas/connection';
import type { ConnectionStore } from '../connections/connection-store';
import { AppError } from '../ipc/app-error';
import type { Logger } from '../logging/logger';
import { type SecretStore, deleteAllSecrets } from '../secrets/secret-store';
import { exchangeRefreshToken } from './exchange-refresh-token';
import { startLoopbackAuthorization } from './loopback-authorization';
import { createPkcePair } from './pkce';
import type { SandboxLauncher } from './sandbox-launcher';
import { describeSignInError } from './sign-in-errors';
import { TokenCapturingStorage } from './token-capturing-storage';

export interface SessionManagerDeps {
  connections: ConnectionStore;
  secrets: SecretStore;
  sandbox: SandboxLauncher;
  /** Opens the system browser (authorization-code sign-in). */
  openBrowser: (url: string) => Promise<void>;
  onEvent: (event: SessionEvent) => void;
  logger: Logger;
  fetch?: typeof fetch;
  /** How long before expiry the client refreshes its access token (MedplumClient's default: 5 minutes). */
  refreshGracePeriodMs?: number;
}

interface ActiveSession {
  connection: Connection;
  client: MedplumClient;
  info: SessionInfo;
}

interface PendingLogin {
  connection: Connection;
  client: MedplumClient;
  login: string;
  expiresAt: number;
}

const PENDING_LOGIN_MS = 10 * 60_000;

export class SessionManager {
  private active: ActiveSession | null = null;
  private secretWrites: Promise<void> = Promise.resolve();
  private readonly pending = new Map<string, PendingLogin>();
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly deps: SessionManagerDeps) {
    this.fetchImpl = deps.fetch ?? ((input, init) => fetch(input, init));
  }

  current(): SessionInfo | null {
    return this.active?.info ?? null;
  }

  /** The signed-in client for the engines; they never see how it signed in. */
  client(): MedplumClient {
    if (!this.active) throw new AppError('not_signed_in', 'Sign in to a connection first (Connections).');
    return this.active.client;
  }

  activeConnection(): Connection {
    if (!this.active) throw new AppError('not_signed_in', 'Sign in to a connection first (Connections).');
    return this.active.connection;
  }

  async signIn(connectionId: string, credentials: Credentials): Promise<SignInResult> {
    const connection = await this.deps.connections.get(connectionId);
    if (credentials.method !== connection.signIn.method) {
      throw new AppError('invalid_argument', `This connection signs in with ${connection.signIn.method}, not ${credentials.method}.`);
    }
    await this.endActive('switch');
    const baseUrl = await this.baseUrlOf(connection);
    const client = this.newClient(connection, baseUrl);
    try {
      switch (credentials.method) {
        case 'password':
          return await this.signInWithPassword(connection, client, credentials.email, credentials.password);
        case 'client-credentials':
          return { status: 'signed-in', session: await this.signInWithClientSecret(connection, client, credentials.clientSecret) };
        case 'authorization-code':
          return { status: 'signed-in', session: await this.signInInBrowser(connection, client, baseUrl) };
        case 'local-sandbox':
          return { status: 'signed-in', session: await this.signInToSandbox(connection, client) };
      }
    } catch (error) {
      throw describeSignInError(error, baseUrl);
    }
  }

  async chooseMembership(pendingId: string, membershipId: string): Promise<SessionInfo> {
    const pending = this.pending.get(pendingId);
    this.pending.delete(pendingId);
    if (!pending || pending.expiresAt < Date.now()) {
      throw new AppError('not_signed_in', 'That sign-in has expired. Sign in again.');
    }
    try {
      // The code verifier made for auth/login is still in the client's storage.
      const response = await pending.client.post<{ code?: string }>('auth/profile', { login: pending.login, profile: membershipId });
      if (!response.code) throw new AppError('not_signed_in', 'The server did not complete the sign-in. Try again.');
      await pending.client.processCode(response.code, { redirectUri: pending.client.getBaseUrl() });
      return await this.activate(pending.connection, pending.client);
    } catch (error) {
      throw describeSignInError(error, pending.client.getBaseUrl());
    }
  }

  /**
   * Restores the session of the active connection from the keychain alone (refresh token, or
   * client secret). Returns null when there is nothing to restore; never asks the user.
   */
  async restore(): Promise<SessionInfo | null> {
    if (this.active) return this.active.info;
    const { activeConnectionId } = await this.deps.connections.list();
    if (!activeConnectionId) return null;
    const connection = await this.deps.connections.get(activeConnectionId);
    const baseUrl = await this.baseUrlOf(connection);
    const client = this.newClient(connection, baseUrl);
    try {
      if (connection.signIn.method === 'local-sandbox') return await this.signInToSandbox(connection, client);
      if (connection.signIn.method === 'client-credentials') {
        const secret = await this.deps.secrets.get(connection.id, 'client-secret');
        if (!secret) return null;
        await client.startClientLogin(connection.signIn.clientId, secret);
        return await this.activate(connection, client);
      }
      const refreshToken = await this.deps.secrets.get(connection.id, 'refresh-token');
      if (!refreshToken) return null;
      const clientId = connection.signIn.method === 'authorization-code' ? connection.signIn.clientId : undefined;
      await client.setActiveLogin(await exchangeRefreshToken(this.fetchImpl, baseUrl, refreshToken, clientId));
      return await this.activate(connection, client);
    } catch (error) {
      if (error instanceof AppError && error.code === 'keychain_unavailable') throw error;
      const described = describeSignInError(error, baseUrl);
      // Only a token the server refused is useless; offline or a server fault keeps it for later.
      if (described.code === 'not_signed_in') {
        await this.deps.secrets.delete(connection.id, 'refresh-token');
        this.deps.onEvent({ state: 'expired', connectionId: connection.id, reason: described.message });
      } else {
        this.deps.onEvent({
          state: 'expired',
          connectionId: connection.id,
          reason: `${described.message} Your saved sign-in is kept: open Connections and sign in again once the server can be reached.`,
        });
      }
      this.deps.logger.info('session.restore_failed', { connectionId: connection.id, code: described.code });
      return null;
    }
  }

  async signOut(): Promise<void> {
    const connectionId = this.active?.connection.id;
    await this.endActive('sign-out');
    if (connectionId) {
      // A token write still queued must not land after the delete.
      await this.secretWrites;
      await deleteAllSecrets(this.deps.secrets, connectionId);
      await this.deps.connections.setActive(null);
      this.deps.onEvent({ state: 'signed-out', connectionId });
    }
  }

  /** Forgets a connection's saved secrets, e.g. when the connection is removed. */
  async forget(connectionId: string): Promise<void> {
    if (this.active?.connection.id === connectionId) await this.signOut();
    await this.secretWrites;
    await deleteAllSecrets(this.deps.secrets, connectionId);
  }

  private async signInWithPassword(connection: Connection, client: MedplumClient, email: string, password: string): Promise<SignInResult> {
    const response = await client.startLogin({ email, password, projectId: connection.projectId, ...this.preparePkce(client) });
    if (response.code) {
      await client.processCode(response.code, { redirectUri: client.getBaseUrl() });
      return { status: 'signed-in', session: await this.activate(connection, client) };
    }
    const memberships = (response.memberships ?? []) as ProjectMembership[];
    if (!response.login || memberships.length === 0) {
      throw new AppError('not_signed_in', 'This account has no project to sign in to. Ask a project administrator to invite it.');
    }
    const pendingId = randomUUID();
    this.pending.set(pendingId, { connection, client, login: response.login, expiresAt: Date.now() + PENDING_LOGIN_MS });
    return {
      status: 'choose-membership',
      pendingId,
      memberships: memberships.map((membership) => ({
        id: membership.id as string,
        projectName: membership.project?.display ?? membership.project?.reference ?? 'Project',
        profileName: membership.profile?.display ?? membership.profile?.reference ?? 'Profile',
      })),
    };
  }

  private async signInWithClientSecret(connection: Connection, client: MedplumClient, clientSecret: string): Promise<SessionInfo> {
    if (connection.signIn.method !== 'client-credentials') throw new AppError('invalid_argument', 'Not a client-credentials connection.');
    await client.startClientLogin(connection.signIn.clientId, clientSecret);
    // Kept so the next start (and IT automation on this machine) signs in without asking.
    await this.deps.secrets.set(connection.id, 'client-secret', clientSecret);
    return this.activate(connection, client);
  }

  private async signInInBrowser(connection: Connection, client: MedplumClient, baseUrl: string): Promise<SessionInfo> {
    const clientId = connection.signIn.method === 'authorization-code' ? connection.signIn.clientId : undefined;
    if (!clientId) {
      throw new AppError('invalid_argument', 'Browser sign-in needs the Client ID of a Medplum ClientApplication: add it to this connection.');
    }
    const pkce = createPkcePair();
    this.storageOf(client).setString('codeVerifier', pkce.codeVerifier);
    const flow = await startLoopbackAuthorization({ baseUrl, clientId, pkce });
    await this.deps.openBrowser(flow.authorizeUrl);
    const code = await flow.code;
    await client.processCode(code, { clientId, redirectUri: flow.redirectUri });
    return this.activate(connection, client);
  }

  private async signInToSandbox(connection: Connection, client: MedplumClient): Promise<SessionInfo> {
    const sandbox = await this.deps.sandbox.ensureStarted();
    await client.startLogin({ email: sandbox.admin.email, password: sandbox.admin.password, ...this.preparePkce(client) }).then(async (response) => {
      if (!response.code) throw new AppError('internal', 'The local sandbox did not complete the sign-in. Restart the console.');
      await client.processCode(response.code, { redirectUri: client.getBaseUrl() });
    });
    return this.activate(connection, client);
  }

  private preparePkce(client: MedplumClient): { codeChallenge: string; codeChallengeMethod: 'S256' } {
    const pkce = createPkcePair();
    this.storageOf(client).setString('codeVerifier', pkce.codeVerifier);
    return { codeChallenge: pkce.codeChallenge, codeChallengeMethod: pkce.codeChallengeMethod };
  }

  private readonly storages = new WeakMap<MedplumClient, ClientStorage>();

  private storageOf(client: MedplumClient): ClientStorage {
    const storage = this.storages.get(client);
    if (!storage) throw new Error('client without storage');
    return storage;
  }

  private async baseUrlOf(connection: Connection): Promise<string> {
    return connection.signIn.method === 'local-sandbox' ? (await this.deps.sandbox.ensureStarted()).baseUrl : connection.baseUrl;
  }

  private newClient(connection: Connection, baseUrl: string): MedplumClient {
    const keepsRefreshToken = connection.signIn.method === 'password' || connection.signIn.method === 'authorization-code';
    const storage = new ClientStorage(
      new TokenCapturingStorage((refreshToken) => {
        if (!keepsRefreshToken || !refreshToken) return;
        // Writes queue up in order; sign-in waits for them, so a saved token is really saved.
        this.secretWrites = this.secretWrites
          .then(() => this.deps.secrets.set(connection.id, 'refresh-token', refreshToken))
          .catch(() => {
            this.deps.logger.warn('session.keychain_write_failed', { connectionId: connection.id });
          });
      }),
    );
    const client = new MedplumClient({
      baseUrl,
      storage,
      fetch: this.fetchImpl,
      ...(this.deps.refreshGracePeriodMs !== undefined ? { refreshGracePeriod: this.deps.refreshGracePeriodMs } : {}),
      onUnauthenticated: () => this.expire(connection.id, 'Your session ended or was revoked. Sign in again.'),
    });
    this.storages.set(client, storage);
    return client;
  }

  private async activate(connection: Connection, client: MedplumClient): Promise<SessionInfo> {
    await this.secretWrites;
    const profile = client.getProfile();
    const project = client.getProject();
    const membership = client.getProjectMembership();
    if (!profile || !project?.id) throw new AppError('not_signed_in', 'The server did not say who is signed in. Try again.');
    const info: SessionInfo = {
      connectionId: connection.id,
      connectionName: connection.name,
      baseUrl: client.getBaseUrl(),
      isLocalSandbox: connection.signIn.method === 'local-sandbox',
      projectId: project.id,
      projectName: project.name ?? project.id,
      profileReference: `${profile.resourceType}/${profile.id ?? ''}`,
      profileName: getDisplayString(profile),
      isProjectAdmin: membership?.admin === true,
      method: connection.signIn.method,
    };
    this.active = { connection, client, info };
    await this.deps.connections.setActive(connection.id);
    this.deps.logger.info('session.signed_in', { connectionId: connection.id, method: info.method, admin: info.isProjectAdmin });
    this.deps.onEvent({ state: 'signed-in', session: info });
    return info;
  }

  private expire(connectionId: string, reason: string): void {
    if (this.active?.connection.id !== connectionId) return;
    this.active = null;
    this.secretWrites = this.secretWrites.then(() => this.deps.secrets.delete(connectionId, 'refresh-token')).then(
      () => undefined,
      () => undefined,
    );
    this.deps.logger.info('session.expired', { connectionId });
    this.deps.onEvent({ state: 'expired', connectionId, reason });
  }

  private async endActive(why: 'switch' | 'sign-out'): Promise<void> {
    const active = this.active;
    if (!active) return;
    this.active = null;
    if (why === 'sign-out' && active.connection.signIn.method !== 'local-sandbox') {
      // Best effort: tell the server; the local state is cleared whatever it answers.
      await active.client.signOut().catch(() => undefined);
    }
  }
}
