/**
 * The one Medplum session of the console, in main: sign-in by each method, restore from the
 * keychain, token refresh, expiry, sign-out and switching connections. The renderer only ever
 * sees `SessionInfo`; tokens and secrets stay here and in the keychain.
 *
 * Lifecycle rules (docs/security.md, "Session lifecycle"):
 * - Every sign-in or restore is an attempt bound to its connection's generation. Sign-out, an edit
 *   or removal of the connection, expiry and a newer sign-in bump the generation: the older attempt
 *   is aborted (its client's requests too), and nothing it does afterwards (activate, save a token)
 *   takes effect.
 * - Sign-out always wins: it ends the session and every attempt in flight and removes the keychain
 *   entries of each connection concerned.
 * - Concurrent restores share one; a saved token is deleted only if it is still the one that failed.
 * - Saved secrets are sealed to the identity they were issued for (bound-secret.ts).
 */
import { randomUUID } from 'node:crypto';
import { ClientStorage, MedplumClient, getDisplayString } from '@medplum/core';
import type { ProjectMembership } from '@medplum/fhirtypes';
import type { Connection, Credentials, SessionEvent, SessionInfo, SignInResult } from '../../preload/api/schemas/connection';
import type { ConnectionStore } from '../connections/connection-store';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import type { SecretKind, SecretStore } from '../secrets/secret-store';
import { isSafeSignInUrl } from '../security/external-url';
import { credentialIdentity, openSecret, sealSecret } from './bound-secret';
import { exchangeRefreshToken } from './exchange-refresh-token';
import { KeychainQueue } from './keychain-queue';
import { startLoopbackAuthorization } from './loopback-authorization';
import { createPkcePair } from './pkce';
import { revocableFetch } from './revocable-fetch';
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
  /** The browser sign-in's loopback port (default LOOPBACK_REDIRECT_PORT; 0: any free port). */
  loopbackPort?: number;
}

/** One sign-in or restore of one connection, from its start to the end of the session it made. */
interface Attempt {
  connectionId: string;
  kind: 'sign-in' | 'restore';
  /** The sign-out epoch it began in: any sign-out since voids it. */
  epoch: number;
  generation: number;
  /** Aborted when the attempt is superseded or its session ends; revokes its client. */
  lifetime: AbortController;
}

interface ActiveSession {
  connection: Connection;
  client: MedplumClient;
  info: SessionInfo;
  attempt: Attempt;
}

interface PendingLogin {
  connection: Connection;
  client: MedplumClient;
  login: string;
  attempt: Attempt;
  timer: NodeJS.Timeout;
}

const PENDING_LOGIN_MS = 10 * 60_000;

/**
 * Medplum issues a refresh token only for the `offline` scope (oauth/utils.ts): without it there
 * is nothing to keep in the keychain, and the session ends when its access token does.
 */
export const SIGN_IN_SCOPE = 'openid offline';

/**
 * Ends an attempt's lifetime with a reason that says so: requests of its client still in flight
 * (and reads of their bodies) then fail with this "sign in again" error, not a bare AbortError
 * that would read as a network failure.
 */
function endLifetime(attempt: Attempt, message = 'That sign-in has ended. Sign in again to go on.'): void {
  attempt.lifetime.abort(new AppError('not_signed_in', message));
}

const MEMBERSHIP_REMOVED_MESSAGE =
  'Your access to this project was removed by a project administrator, so you are signed out. Sign in again if you still have access, or ask them.';
const CANCELLED_MESSAGE =
  'This sign-in was cancelled: the connection was edited or removed, or you signed out or started another sign-in. Sign in again if you still want to.';

export class SessionManager {
  private active: ActiveSession | null = null;
  private restoring: Promise<SessionInfo | null> | null = null;
  private readonly generations = new Map<string, number>();
  /** Moved on by every sign-out, before anything else it does (attempts take it before their first await). */
  private epoch = 0;
  /** The status of the last answer of each session's token endpoint (why a refresh ended it). */
  private readonly tokenStatus = new WeakMap<Attempt, number>();
  private readonly attempts = new Set<Attempt>();
  private readonly pending = new Map<string, PendingLogin>();
  private readonly storages = new WeakMap<MedplumClient, ClientStorage>();
  private readonly keychain: KeychainQueue;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly deps: SessionManagerDeps) {
    this.fetchImpl = deps.fetch ?? ((input, init) => fetch(input, init));
    this.keychain = new KeychainQueue(deps.secrets, deps.logger);
  }

  current(): SessionInfo | null {
    return this.active?.info ?? null;
  }

  /** The signed-in client for the engines; they never see how it signed in. */
  client(): MedplumClient {
    return this.requireActive().client;
  }

  activeConnection(): Connection {
    return this.requireActive().connection;
  }

  /** Aborted when the current session ends (sign-out, switch, expiry): long jobs stop with it. */
  sessionSignal(): AbortSignal {
    return this.requireActive().attempt.lifetime.signal;
  }

  async signIn(connectionId: string, credentials: Credentials): Promise<SignInResult> {
    const epoch = this.epoch;
    const connection = await this.deps.connections.get(connectionId);
    if (epoch !== this.epoch) throw new AppError('cancelled', CANCELLED_MESSAGE);
    if (credentials.method !== connection.signIn.method) {
      throw new AppError('invalid_argument', `This connection signs in with ${connection.signIn.method}, not ${credentials.method}.`);
    }
    // One session at a time: a new sign-in supersedes every attempt in flight and the session.
    for (const attempt of [...this.attempts]) this.invalidate(attempt.connectionId);
    this.endActive();
    const attempt = this.beginAttempt(connection.id, 'sign-in', epoch);
    let baseUrl = connection.baseUrl;
    let keepAttempt = false;
    try {
      baseUrl = await this.baseUrlOf(connection);
      const result = await this.signInBy(connection, this.newClient(connection, baseUrl, attempt), attempt, credentials, baseUrl);
      keepAttempt = result.status === 'choose-membership';
      return result;
    } catch (error) {
      if (!this.isCurrent(attempt)) throw new AppError('cancelled', CANCELLED_MESSAGE);
      endLifetime(attempt);
      throw describeSignInError(error, baseUrl);
    } finally {
      if (!keepAttempt) this.attempts.delete(attempt);
    }
  }

  private async signInBy(
    connection: Connection,
    client: MedplumClient,
    attempt: Attempt,
    credentials: Credentials,
    baseUrl: string,
  ): Promise<SignInResult> {
    switch (credentials.method) {
      case 'password':
        return this.signInWithPassword(connection, client, attempt, credentials.email, credentials.password);
      case 'client-credentials':
        return { status: 'signed-in', session: await this.signInWithClientSecret(connection, client, attempt, credentials.clientSecret) };
      case 'authorization-code':
        return { status: 'signed-in', session: await this.signInInBrowser(connection, client, attempt, baseUrl) };
      case 'local-sandbox':
        return { status: 'signed-in', session: await this.signInToSandbox(connection, client, attempt) };
    }
  }

  async chooseMembership(pendingId: string, membershipId: string): Promise<SessionInfo> {
    const pending = this.pending.get(pendingId);
    if (!pending) throw new AppError('not_signed_in', 'That sign-in has expired. Sign in again.');
    this.pending.delete(pendingId);
    clearTimeout(pending.timer);
    const { attempt, client } = pending;
    try {
      this.assertCurrent(attempt);
      // The code verifier made for auth/login is still in the client's storage.
      const response = await client.post<{ code?: string }>('auth/profile', { login: pending.login, profile: membershipId });
      if (!response.code) throw new AppError('not_signed_in', 'The server did not complete the sign-in. Try again.');
      await client.processCode(response.code, { redirectUri: client.getBaseUrl() });
      return await this.activate(pending.connection, client, attempt);
    } catch (error) {
      if (!this.isCurrent(attempt)) throw new AppError('cancelled', CANCELLED_MESSAGE);
      endLifetime(attempt);
      throw describeSignInError(error, client.getBaseUrl());
    } finally {
      this.attempts.delete(attempt);
    }
  }

  /**
   * Restores the session of the active connection from the keychain alone (refresh token, or
   * client secret). Returns null when there is nothing to restore; never asks the user. Callers
   * that come while a restore runs share it (two windows, a reload, StrictMode's double effect).
   */
  restore(): Promise<SessionInfo | null> {
    if (this.active) return Promise.resolve(this.active.info);
    // A sign-in the user started (waiting for the membership choice, or the browser) is not
    // overtaken by a background restore (a reload, a second window): that one reports nothing yet.
    if ([...this.attempts].some((attempt) => attempt.kind === 'sign-in')) return Promise.resolve(null);
    if (!this.restoring) {
      const restoring = this.restoreOnce().finally(() => {
        if (this.restoring === restoring) this.restoring = null;
      });
      this.restoring = restoring;
    }
    return this.restoring;
  }

  /**
   * Restores one named connection from the keychain, for the command line: the app's active
   * connection is left as it is. Null when nothing is saved for it (sign in from the app first).
   */
  restoreConnection(connectionId: string): Promise<SessionInfo | null> {
    if (this.active?.connection.id === connectionId) return Promise.resolve(this.active.info);
    return this.restoreOnce(connectionId);
  }

  /**
   * Ends the session and every sign-in in flight; their connections' keychain entries go too.
   * Everything local happens first, before any await, so that nothing started afterwards is
   * undone by this sign-out and nothing started before it can finish; the server hears last.
   */
  async signOut(): Promise<void> {
    this.epoch++;
    const ended = this.active;
    const connectionIds = new Set([...this.attempts].map((attempt) => attempt.connectionId));
    if (ended) connectionIds.add(ended.connection.id);
    for (const connectionId of connectionIds) this.invalidate(connectionId);
    this.active = null;
    const logout = ended && this.logoutRequest(ended);
    if (ended) endLifetime(ended.attempt);
    for (const connectionId of connectionIds) this.deps.onEvent({ state: 'signed-out', connectionId });
    // Queued behind any token write still in flight, which is dropped because it is no longer wanted.
    const cleanup = [...connectionIds].map((connectionId) => this.keychain.deleteAll(connectionId));
    cleanup.push(this.deps.connections.setActive(null));
    await Promise.all(cleanup);
    await logout?.catch(() => undefined);
  }

  /** Tells the server the session is over, with its last access token (the client is revoked by then). */
  private logoutRequest(session: ActiveSession): Promise<unknown> | undefined {
    const token = session.client.getAccessToken();
    if (!token || session.connection.signIn.method === 'local-sandbox') return undefined;
    return this.fetchImpl(new URL('oauth2/logout', session.client.getBaseUrl()), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(10_000),
    });
  }

  /**
   * A connection was edited: sign-ins in flight for it are cancelled, and when it now signs in
   * somewhere else (server, project, method, client) its saved secrets are forgotten.
   */
  async connectionEdited(before: Connection, after: Pick<Connection, 'baseUrl' | 'projectId' | 'signIn'>): Promise<void> {
    if (credentialIdentity(before) !== credentialIdentity(after)) {
      await this.forget(before.id);
      return;
    }
    for (const attempt of [...this.attempts]) {
      if (attempt.connectionId === before.id) this.invalidate(before.id);
    }
    // The same sign-in, other settings (name, MRN system, isolation): the session works with them from now on.
    if (this.active?.connection.id === before.id && 'id' in after) {
      const connection = after as Connection;
      this.active = { ...this.active, connection, info: { ...this.active.info, connectionName: connection.name } };
    }
  }

  /** Forgets a connection's session, sign-ins in flight and saved secrets (edited elsewhere, or removed). */
  async forget(connectionId: string): Promise<void> {
    if (this.active?.connection.id === connectionId) {
      await this.signOut();
      return;
    }
    this.invalidate(connectionId);
    await this.keychain.deleteAll(connectionId);
  }

  private async restoreOnce(connectionId?: string): Promise<SessionInfo | null> {
    const epoch = this.epoch;
    const rememberAsActive = connectionId === undefined;
    const wanted = connectionId ?? (await this.deps.connections.list()).activeConnectionId;
    if (!wanted) return null;
    const connection = await this.deps.connections.get(wanted);
    // Signed out while the settings were read: that sign-out was meant for this connection, so its
    // saved sign-in goes (only the value there now: a newer sign-in's token is kept).
    if (epoch !== this.epoch) {
      for (const kind of ['refresh-token', 'client-secret'] as const) {
        const stored = await this.deps.secrets.get(connection.id, kind);
        if (stored) await this.keychain.deleteIfUnchanged(connection.id, kind, stored);
      }
      this.deps.onEvent({ state: 'signed-out', connectionId: connection.id });
      return null;
    }
    const attempt = this.beginAttempt(connection.id, 'restore', epoch);
    let baseUrl = connection.baseUrl;
    let used: { kind: SecretKind; stored: string } | null = null;
    try {
      baseUrl = await this.baseUrlOf(connection);
      const client = this.newClient(connection, baseUrl, attempt);
      if (connection.signIn.method === 'local-sandbox') return await this.signInToSandbox(connection, client, attempt, rememberAsActive);
      const kind: SecretKind = connection.signIn.method === 'client-credentials' ? 'client-secret' : 'refresh-token';
      const saved = await this.readSecret(connection, kind);
      if (!saved) return null;
      used = { kind, stored: saved.stored };
      if (connection.signIn.method === 'client-credentials') {
        await client.startClientLogin(connection.signIn.clientId, saved.value);
      } else {
        const clientId = connection.signIn.method === 'authorization-code' ? connection.signIn.clientId : undefined;
        const login = await exchangeRefreshToken(revocableFetch(this.fetchImpl, attempt.lifetime.signal), baseUrl, saved.value, clientId);
        this.assertCurrent(attempt);
        await client.setActiveLogin(login);
      }
      return await this.activate(connection, client, attempt, rememberAsActive);
    } catch (error) {
      // Signed out, edited or superseded meanwhile: whatever this restore did is void.
      if (!this.isCurrent(attempt)) return this.active?.info ?? null;
      endLifetime(attempt);
      if (error instanceof AppError && error.code === 'keychain_unavailable') throw error;
      const described = describeSignInError(error, baseUrl);
      // Only a credential the server refused is useless; offline or a server fault keeps it for later.
      if (described.code === 'not_signed_in') {
        if (used) await this.keychain.deleteIfUnchanged(connection.id, used.kind, used.stored);
        this.deps.onEvent({ state: 'expired', connectionId: connection.id, reason: described.message });
      } else {
        this.deps.onEvent({
          state: 'expired',
          connectionId: connection.id,
          reason: `${described.message} Your saved sign-in is kept: open Connections and sign in again once the server can be reached.`,
          signInKept: true,
        });
      }
      this.deps.logger.info('session.restore_failed', { connectionId: connection.id, code: described.code });
      return null;
    } finally {
      this.attempts.delete(attempt);
    }
  }

  /** A saved secret, if it was issued for this connection as it is now; any other is removed. */
  private async readSecret(connection: Connection, kind: SecretKind): Promise<{ value: string; stored: string } | null> {
    const stored = await this.deps.secrets.get(connection.id, kind);
    if (!stored) return null;
    const value = openSecret(stored, credentialIdentity(connection));
    if (value) return { value, stored };
    await this.keychain.deleteIfUnchanged(connection.id, kind, stored);
    this.deps.logger.warn('session.saved_secret_refused', { connectionId: connection.id, kind });
    this.deps.onEvent({
      state: 'expired',
      connectionId: connection.id,
      reason: 'The saved sign-in was made for another server, project or sign-in method than this connection now has, so it was not used. Sign in again.',
    });
    return null;
  }

  private async signInWithPassword(
    connection: Connection,
    client: MedplumClient,
    attempt: Attempt,
    email: string,
    password: string,
  ): Promise<SignInResult> {
    const response = await client.startLogin({ email, password, projectId: connection.projectId, scope: SIGN_IN_SCOPE, ...this.preparePkce(client) });
    if (response.code) {
      await client.processCode(response.code, { redirectUri: client.getBaseUrl() });
      return { status: 'signed-in', session: await this.activate(connection, client, attempt) };
    }
    const memberships = (response.memberships ?? []) as ProjectMembership[];
    if (!response.login || memberships.length === 0) {
      throw new AppError('not_signed_in', 'This account has no project to sign in to. Ask a project administrator to invite it.');
    }
    this.assertCurrent(attempt);
    const pendingId = randomUUID();
    const timer = setTimeout(() => {
      if (this.pending.delete(pendingId)) {
        this.attempts.delete(attempt);
        endLifetime(attempt);
      }
    }, PENDING_LOGIN_MS);
    timer.unref();
    this.pending.set(pendingId, { connection, client, login: response.login, attempt, timer });
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

  private async signInWithClientSecret(connection: Connection, client: MedplumClient, attempt: Attempt, clientSecret: string): Promise<SessionInfo> {
    if (connection.signIn.method !== 'client-credentials') throw new AppError('invalid_argument', 'Not a client-credentials connection.');
    await client.startClientLogin(connection.signIn.clientId, clientSecret);
    // Kept so the next start (and IT automation on this machine) signs in without asking.
    await this.keychain.write(connection.id, 'client-secret', sealSecret(credentialIdentity(connection), clientSecret), () => this.isCurrent(attempt));
    return this.activate(connection, client, attempt);
  }

  private async signInInBrowser(connection: Connection, client: MedplumClient, attempt: Attempt, baseUrl: string): Promise<SessionInfo> {
    const clientId = connection.signIn.method === 'authorization-code' ? connection.signIn.clientId : undefined;
    if (!clientId) {
      throw new AppError('invalid_argument', 'Browser sign-in needs the Client ID of a Medplum ClientApplication: add it to this connection.');
    }
    const pkce = createPkcePair();
    this.storageOf(client).setString('codeVerifier', pkce.codeVerifier);
    const flow = await startLoopbackAuthorization({
      baseUrl,
      clientId,
      pkce,
      signal: attempt.lifetime.signal,
      ...(this.deps.loopbackPort !== undefined ? { port: this.deps.loopbackPort } : {}),
    });
    if (!isSafeSignInUrl(flow.authorizeUrl)) {
      flow.close();
      throw new AppError('invalid_argument', 'Browser sign-in opens only https:// servers, or http:// on this machine. Check the connection’s address.');
    }
    try {
      await this.deps.openBrowser(flow.authorizeUrl);
    } catch {
      flow.close();
      throw new AppError('internal', 'The console could not open your web browser for the sign-in. Check that a default browser is set, or sign in with email and password.');
    }
    const code = await flow.code;
    await client.processCode(code, { clientId, redirectUri: flow.redirectUri });
    return this.activate(connection, client, attempt);
  }

  private async signInToSandbox(connection: Connection, client: MedplumClient, attempt: Attempt, rememberAsActive = true): Promise<SessionInfo> {
    const sandbox = await this.deps.sandbox.ensureStarted();
    const response = await client.startLogin({ email: sandbox.admin.email, password: sandbox.admin.password, scope: SIGN_IN_SCOPE, ...this.preparePkce(client) });
    if (!response.code) throw new AppError('internal', 'The local sandbox did not complete the sign-in. Restart the console.');
    await client.processCode(response.code, { redirectUri: client.getBaseUrl() });
    return this.activate(connection, client, attempt, rememberAsActive);
  }

  private preparePkce(client: MedplumClient): { codeChallenge: string; codeChallengeMethod: 'S256' } {
    const pkce = createPkcePair();
    this.storageOf(client).setString('codeVerifier', pkce.codeVerifier);
    return { codeChallenge: pkce.codeChallenge, codeChallengeMethod: pkce.codeChallengeMethod };
  }

  private storageOf(client: MedplumClient): ClientStorage {
    const storage = this.storages.get(client);
    if (!storage) throw new Error('client without storage');
    return storage;
  }

  private async baseUrlOf(connection: Connection): Promise<string> {
    return connection.signIn.method === 'local-sandbox' ? (await this.deps.sandbox.ensureStarted()).baseUrl : connection.baseUrl;
  }

  private newClient(connection: Connection, baseUrl: string, attempt: Attempt): MedplumClient {
    const keepsRefreshToken = connection.signIn.method === 'password' || connection.signIn.method === 'authorization-code';
    const identity = credentialIdentity(connection);
    const storage = new ClientStorage(
      new TokenCapturingStorage((refreshToken) => {
        if (!keepsRefreshToken || !refreshToken) return;
        // Queued in order; activate waits for the queue, so a saved token is really saved.
        void this.keychain.write(connection.id, 'refresh-token', sealSecret(identity, refreshToken), () => this.isCurrent(attempt));
      }),
    );
    const client = new MedplumClient({
      baseUrl,
      storage,
      fetch: revocableFetch(this.watchTokenEndpoint(attempt, baseUrl), attempt.lifetime.signal),
      ...(this.deps.refreshGracePeriodMs !== undefined ? { refreshGracePeriod: this.deps.refreshGracePeriodMs } : {}),
      onUnauthenticated: () => this.expire(attempt),
    });
    this.storages.set(client, storage);
    return client;
  }

  /**
   * Notes the status of each answer of the token endpoint (expire says why from it), and ends the
   * session when its membership is gone: Medplum answers every request of a token whose
   * membership was deleted with 410 Gone (not 401), which would otherwise read as "that record
   * was deleted" on every screen. A 410 is told apart from a deleted record by asking `auth/me`.
   */
  private watchTokenEndpoint(attempt: Attempt, baseUrl: string): typeof fetch {
    return async (input, init) => {
      const response = await this.fetchImpl(input, init);
      const url = input instanceof Request ? input.url : String(input);
      if (url.endsWith('/oauth2/token')) this.tokenStatus.set(attempt, response.status);
      if (response.status === 410 && (await this.membershipIsGone(baseUrl, url, init))) {
        this.expire(attempt, MEMBERSHIP_REMOVED_MESSAGE);
        throw new AppError('not_signed_in', MEMBERSHIP_REMOVED_MESSAGE, 'HTTP 410 from auth/me');
      }
      return response;
    };
  }

  private async membershipIsGone(baseUrl: string, url: string, init: RequestInit | undefined): Promise<boolean> {
    const me = new URL('auth/me', baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString();
    if (url === me) return true;
    const authorization = new Headers(init?.headers).get('authorization');
    if (!authorization) return false;
    try {
      const answer = await this.fetchImpl(me, { headers: { authorization }, ...(init?.signal ? { signal: init.signal } : {}) });
      return answer.status === 410 || answer.status === 401;
    } catch {
      return false;
    }
  }


  private async activate(connection: Connection, client: MedplumClient, attempt: Attempt, rememberAsActive = true): Promise<SessionInfo> {
    await this.keychain.settled();
    this.assertCurrent(attempt);
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
    // Only one session: one that got in first (another attempt that finished) ends here.
    if (this.active && this.active.attempt !== attempt) this.endActive(this.active);
    this.active = { connection, client, info, attempt };
    if (rememberAsActive) await this.deps.connections.setActive(connection.id);
    // Signed out (or superseded) while the setting was written: that ending stands.
    if (this.active?.attempt !== attempt) throw new AppError('cancelled', CANCELLED_MESSAGE);
    this.deps.logger.info('session.signed_in', { connectionId: connection.id, method: info.method, admin: info.isProjectAdmin });
    this.deps.onEvent({ state: 'signed-in', session: info });
    return info;
  }

  /**
   * MedplumClient gave up the session: its refresh was refused (the sign-in was revoked or has
   * expired), or the token endpoint failed. The saved sign-in is not deleted here: the next
   * restore deletes it only if the server refuses it, so a server fault never costs the sign-in.
   */
  private expire(attempt: Attempt, because?: string): void {
    if (this.active?.attempt !== attempt) return;
    const connectionId = attempt.connectionId;
    const status = this.tokenStatus.get(attempt);
    this.invalidate(connectionId);
    this.active = null;
    const refused = status === undefined || status === 400 || status === 401;
    const reason = because
      ? because
      : refused
      ? 'Your session ended or was revoked. Sign in again.'
      : 'The server could not renew your session just now. Your saved sign-in is kept: open Connections and sign in again, or restart the console.';
    endLifetime(attempt, reason);
    this.deps.logger.info('session.expired', { connectionId, status: status ?? null });
    this.deps.onEvent({ state: 'expired', connectionId, reason, ...(!because && !refused ? { signInKept: true } : {}) });
  }

  /** Ends the session when another takes its place: its client is revoked; its saved sign-in stays. */
  private endActive(session: ActiveSession | null = this.active): void {
    if (!session) return;
    if (this.active === session) this.active = null;
    endLifetime(session.attempt);
  }

  private beginAttempt(connectionId: string, kind: Attempt['kind'], epoch: number): Attempt {
    const attempt: Attempt = { connectionId, kind, epoch, generation: this.generationOf(connectionId), lifetime: new AbortController() };
    this.attempts.add(attempt);
    return attempt;
  }

  private generationOf(connectionId: string): number {
    return this.generations.get(connectionId) ?? 0;
  }

  /** Voids every attempt of the connection: in flight, waiting for a membership choice, or signed in. */
  private invalidate(connectionId: string): void {
    this.generations.set(connectionId, this.generationOf(connectionId) + 1);
    for (const attempt of [...this.attempts]) {
      if (attempt.connectionId !== connectionId) continue;
      this.attempts.delete(attempt);
      endLifetime(attempt);
    }
    for (const [pendingId, pending] of this.pending) {
      if (pending.connection.id !== connectionId) continue;
      clearTimeout(pending.timer);
      this.pending.delete(pendingId);
    }
  }

  private isCurrent(attempt: Attempt): boolean {
    return !attempt.lifetime.signal.aborted && attempt.epoch === this.epoch && attempt.generation === this.generationOf(attempt.connectionId);
  }

  private assertCurrent(attempt: Attempt): void {
    if (!this.isCurrent(attempt)) throw new AppError('cancelled', CANCELLED_MESSAGE);
  }

  private requireActive(): ActiveSession {
    if (!this.active) throw new AppError('not_signed_in', 'Sign in to a connection first (Connections).');
    return this.active;
  }
}
