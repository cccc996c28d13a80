import { createHash, randomBytes } from 'node:crypto';
import type { WithId } from '@medplum/core';
import { Operator } from '@medplum/core';
import type { ClientApplication, Project, ProjectMembership, Reference, User } from '@medplum/fhirtypes';
import { clientSecretMatches, hashClientSecret } from './client-secrets';
import type { LocalMemoryStore } from './memory-store';
import { HttpError } from './http-io';
import type { AccessTokenClaims } from './jwt';
import { JwtSigner } from './jwt';
import { generateSecret, hashPassword, verifyPassword } from './passwords';
import { matchesDigest, secretDigest } from './secret-digest';

/** One sign-in, from auth/login (or client credentials) to its tokens. Kept in memory only. */
export interface LoginRecord {
  readonly id: string;
  /** `User/<id>` or, for client credentials, `ClientApplication/<id>`. */
  readonly principal: string;
  readonly projectId?: string;
  /** The ClientApplication the sign-in is for: its code is redeemable by that client only. */
  readonly clientId?: string;
  /** When given at auth/login, the code is redeemable only with this exact `redirect_uri`. */
  readonly redirectUri?: string;
  readonly codeChallenge?: string;
  readonly codeChallengeMethod?: string;
  readonly scope: string;
  /** Medplum's legacy flag for a refresh token without the offline scope. */
  readonly remember?: boolean;
  readonly authTime: number;
  membershipId?: string;
  /** Digests only: a code or refresh secret is never kept as given. */
  codeDigest?: string;
  codeIssuedAt?: number;
  granted: boolean;
  revoked: boolean;
  refreshDigest?: string;
}

export interface LoginRequestBody {
  readonly email?: string;
  readonly password?: string;
  readonly projectId?: string;
  readonly clientId?: string;
  /** Not a Medplum field: what oauth2/authorize would have checked; binds the code to it. */
  readonly redirectUri?: string;
  readonly scope?: string;
  readonly remember?: boolean;
  readonly codeChallenge?: string;
  readonly codeChallengeMethod?: string;
}

export type LoginResponse =
  | { readonly login: string; readonly code: string }
  | { readonly login: string; readonly memberships: ProjectMembership[] };

export interface TokenResponseBody {
  readonly token_type: 'Bearer';
  readonly scope: string;
  readonly expires_in: number;
  readonly id_token: string;
  readonly access_token: string;
  readonly refresh_token?: string;
  readonly project: Reference<Project>;
  readonly profile: Reference;
}

/** An OAuth error: the token endpoint answers `{error, error_description}`, not an OperationOutcome. */
export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_grant' | 'invalid_client' | 'unsupported_grant_type',
    readonly description: string,
    readonly status = 400
  ) {
    super(description);
  }
}

const CODE_LIFETIME_MS = 10 * 60 * 1000;

/**
 * Sign-in as Medplum does it: users, password checks, logins, codes, PKCE, access and refresh
 * tokens. Users, memberships and client applications are FHIR resources in the store; password
 * hashes and logins live here.
 */
export class AuthService {
  private readonly logins = new Map<string, LoginRecord>();
  private readonly signer = new JwtSigner(randomBytes(32));
  readonly passwordHashes = new Map<string, string>();
  /** clientId → hash of the secret the admin API generated (the ClientApplication holds none). */
  readonly clientSecretHashes = new Map<string, string>();

  constructor(
    private readonly store: LocalMemoryStore,
    private readonly options: { readonly accessTokenLifetimeSeconds: number; readonly issuer: () => string }
  ) {}

  setPassword(userId: string, password: string): void {
    this.passwordHashes.set(userId, hashPassword(password));
  }

  setClientSecret(clientId: string, secret: string): void {
    this.clientSecretHashes.set(clientId, hashClientSecret(secret));
  }

  /**
   * A secret written into the ClientApplication itself (over FHIR, as on Medplum) wins; otherwise
   * the hash kept for it. Digests are compared, so the time taken says nothing about the secret.
   */
  private clientSecretIsRight(client: ClientApplication, given: string): boolean {
    const hash = client.secret ? hashClientSecret(client.secret) : this.clientSecretHashes.get(client.id ?? '');
    return hash !== undefined && clientSecretMatches(given, hash);
  }

  async findUserByEmail(email: string, projectId: string | undefined): Promise<WithId<User> | undefined> {
    const normalized = email.trim().toLowerCase();
    const users = (await this.store.searchResources<User>({ resourceType: 'User' })).filter(
      (user) => user.email?.toLowerCase() === normalized
    );
    // A project-scoped user is found only when its project is named; a server-scoped one always.
    const inProject = projectId ? users.find((user) => user.project?.reference === `Project/${projectId}`) : undefined;
    return inProject ?? users.find((user) => !user.project);
  }

  async login(body: LoginRequestBody): Promise<LoginResponse> {
    if (!body.email) {
      throw new HttpError(400, 'Invalid email');
    }
    if (!body.password) {
      throw new HttpError(400, 'Invalid password');
    }
    if (body.codeChallenge && !body.codeChallengeMethod) {
      throw new HttpError(400, 'Invalid code challenge method');
    }
    if (body.codeChallengeMethod && !['plain', 'S256'].includes(body.codeChallengeMethod)) {
      throw new HttpError(400, 'Invalid code challenge method');
    }
    const { clientId, projectId } = await this.clientOfLogin(body);
    const user = await this.findUserByEmail(body.email, projectId);
    if (!user) {
      throw new HttpError(400, 'User not found');
    }
    const hash = this.passwordHashes.get(user.id);
    if (!hash || !verifyPassword(body.password, hash)) {
      throw new HttpError(400, 'Email or password is invalid');
    }
    const login: LoginRecord = {
      id: this.store.generateId(),
      principal: `User/${user.id}`,
      projectId,
      clientId,
      redirectUri: body.redirectUri,
      codeChallenge: body.codeChallenge,
      codeChallengeMethod: body.codeChallengeMethod,
      // As on Medplum (auth/login): a refresh token only for the offline scope (or `remember`).
      scope: body.scope || 'openid',
      remember: body.remember === true,
      authTime: Date.now(),
      granted: false,
      revoked: false,
    };
    this.logins.set(login.id, login);

    const memberships = await this.membershipsFor(login);
    const only = memberships.length === 1 ? memberships[0] : undefined;
    if (only) {
      return { login: login.id, code: this.issueCode(login, only.id) };
    }
    return { login: login.id, memberships: await Promise.all(memberships.map((m) => this.withDisplays(m))) };
  }

  /** auth/profile: the user picked one of several memberships. */
  async chooseProfile(loginId: string | undefined, membershipId: string | undefined): Promise<LoginResponse> {
    const login = loginId ? this.logins.get(loginId) : undefined;
    if (!login || login.revoked) {
      throw new HttpError(400, 'Login not found');
    }
    if (login.granted) {
      throw new HttpError(400, 'Login granted');
    }
    if (login.membershipId) {
      throw new HttpError(400, 'Login profile already set');
    }
    const membership = (await this.membershipsFor(login)).find((m) => m.id === membershipId);
    if (!membership) {
      throw new HttpError(400, 'Profile not found');
    }
    return { login: login.id, code: this.issueCode(login, membership.id) };
  }

  /**
   * oauth2/token grant_type=authorization_code, with Medplum's checks and answers: a client_id, when
   * sent, must be the code's client; PKCE is required unless the client is `pkceOptional`; a code
   * used twice revokes its sign-in. Stricter than Medplum (which checks these at oauth2/authorize,
   * which this server lacks): a code issued to a client needs its client_id, and one issued for a
   * redirect URI needs exactly that `redirect_uri`.
   */
  async exchangeCode(params: Record<string, string | undefined>): Promise<TokenResponseBody> {
    if (!params.code) {
      throw new OAuthError('invalid_request', 'Missing code');
    }
    const digest = secretDigest(params.code).toString('base64url');
    const login = [...this.logins.values()].find((l) => l.codeDigest === digest);
    if (!login) {
      throw new OAuthError('invalid_request', 'Invalid code');
    }
    if ((params.client_id || login.clientId) && params.client_id !== login.clientId) {
      throw new OAuthError('invalid_request', 'Invalid client');
    }
    if (!login.membershipId) {
      throw new OAuthError('invalid_request', 'Invalid profile');
    }
    if (login.granted) {
      this.revoke(login.id);
      throw new OAuthError('invalid_grant', 'Token already granted');
    }
    if (login.revoked) {
      throw new OAuthError('invalid_grant', 'Token revoked');
    }
    if (Date.now() - (login.codeIssuedAt ?? 0) > CODE_LIFETIME_MS) {
      throw new OAuthError('invalid_grant', 'Expired code');
    }
    if (login.redirectUri !== undefined && params.redirect_uri !== login.redirectUri) {
      throw new OAuthError('invalid_grant', 'Invalid redirect URI');
    }
    const client = login.clientId ? await this.readClient(login.clientId) : undefined;
    if (!client?.pkceOptional) {
      requireVerifier(login, params.code_verifier);
    } else if (params.client_secret && !this.clientSecretIsRight(client, params.client_secret)) {
      throw new OAuthError('invalid_request', 'Invalid secret');
    }
    login.granted = true;
    return this.issueTokens(login);
  }

  /**
   * oauth2/token grant_type=refresh_token. Refresh tokens rotate on every use. As on Medplum, a
   * client named in HTTP Basic must be the sign-in's own (a form client_id is not consulted).
   */
  async refresh(params: Record<string, string | undefined>, basic?: { id?: string; secret?: string }): Promise<TokenResponseBody> {
    const secret = params.refresh_token;
    const digest = secret ? secretDigest(secret).toString('base64url') : undefined;
    const login = digest ? [...this.logins.values()].find((l) => l.refreshDigest === digest) : undefined;
    if (!login || login.revoked || !login.granted) {
      throw new OAuthError('invalid_grant', 'Invalid refresh token');
    }
    if (basic) {
      if (!basic.id || basic.id !== login.clientId) {
        throw new OAuthError('invalid_grant', 'Incorrect client');
      }
      const client = await this.readClient(basic.id);
      if (!basic.secret || !this.clientSecretIsRight(client, basic.secret)) {
        throw new OAuthError('invalid_grant', 'Incorrect client secret');
      }
    }
    await this.requireMembership(login).catch(() => {
      throw new OAuthError('invalid_grant', 'Membership no longer exists');
    });
    return this.issueTokens(login);
  }

  /** oauth2/token grant_type=client_credentials for a ClientApplication with a membership. */
  async clientCredentials(params: Record<string, string | undefined>): Promise<TokenResponseBody> {
    const clientId = params.client_id;
    const secret = params.client_secret;
    if (!clientId || !secret) {
      throw new OAuthError('invalid_request', 'Missing client_id or client_secret');
    }
    const client = await this.readClient(clientId);
    if (!this.clientSecretIsRight(client, secret)) {
      throw new OAuthError('invalid_request', 'Invalid secret');
    }
    const membership = (
      await this.store.searchResources<ProjectMembership>({
        resourceType: 'ProjectMembership',
        filters: [{ code: 'user', operator: Operator.EQUALS, value: `ClientApplication/${client.id}` }],
      })
    )[0];
    if (!membership) {
      throw new OAuthError('invalid_request', 'Invalid client');
    }
    const login: LoginRecord = {
      id: this.store.generateId(),
      principal: `ClientApplication/${client.id}`,
      clientId: client.id,
      scope: params.scope ?? 'openid',
      authTime: Date.now(),
      membershipId: membership.id,
      granted: true,
      revoked: false,
    };
    this.logins.set(login.id, login);
    return this.issueTokens(login, false);
  }

  revoke(loginId: string): void {
    const login = this.logins.get(loginId);
    if (login) {
      login.revoked = true;
      login.refreshDigest = undefined;
    }
  }

  /** Checks a bearer token: our signature, not expired, login live. Throws 401 otherwise. */
  verifyAccessToken(authorization: string | undefined): LoginRecord {
    const token = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length).trim() : undefined;
    if (!token) {
      throw new HttpError(401, 'Unauthorized');
    }
    const claims = this.signer.verify<AccessTokenClaims>(token);
    if (!claims) {
      throw new HttpError(401, 'Invalid token');
    }
    if (claims.exp * 1000 <= Date.now()) {
      throw new HttpError(401, 'Token expired');
    }
    const login = this.logins.get(claims.login_id);
    if (!login || login.revoked || !login.membershipId) {
      throw new HttpError(401, 'Login revoked');
    }
    return login;
  }

  /** The login's membership as it is now: edits to a membership apply to tokens already issued. */
  async requireMembership(login: LoginRecord): Promise<WithId<ProjectMembership>> {
    if (!login.membershipId) {
      throw new HttpError(401, 'Login has no membership');
    }
    try {
      return (await this.store.readResource<ProjectMembership>('ProjectMembership', login.membershipId)) as WithId<ProjectMembership>;
    } catch {
      throw new HttpError(401, 'Membership no longer exists');
    }
  }

  /** An active ClientApplication, or Medplum's "Invalid client". */
  private async readClient(clientId: string): Promise<WithId<ClientApplication>> {
    let client: WithId<ClientApplication> | undefined;
    try {
      client = (await this.store.readResource<ClientApplication>('ClientApplication', clientId)) as WithId<ClientApplication>;
    } catch {
      client = undefined;
    }
    if (!client || (client.status && client.status !== 'active')) {
      throw new OAuthError('invalid_request', 'Invalid client');
    }
    return client;
  }

  /**
   * The client a login at auth/login is for, checked as oauth2/authorize and auth/login do on
   * Medplum: it exists, its project is the one asked for (and the default), and a redirect URI
   * given must be one it registered. An empty clientId (MedplumClient's default) means none.
   */
  private async clientOfLogin(body: LoginRequestBody): Promise<{ clientId?: string; projectId?: string }> {
    if (!body.clientId) {
      return { projectId: body.projectId };
    }
    const client = await this.readClient(body.clientId).catch(() => {
      throw new HttpError(400, 'Invalid client');
    });
    const clientProject = client.meta?.project;
    if (clientProject && body.projectId !== undefined && body.projectId !== clientProject) {
      throw new HttpError(400, 'Invalid projectId');
    }
    const registered = [client.redirectUri, ...(client.redirectUris ?? [])].filter((uri): uri is string => !!uri);
    if (body.redirectUri !== undefined && registered.length > 0 && !registered.includes(body.redirectUri)) {
      throw new HttpError(400, 'Invalid redirect URI');
    }
    return { clientId: client.id, projectId: clientProject ?? body.projectId };
  }

  private async membershipsFor(login: LoginRecord): Promise<WithId<ProjectMembership>[]> {
    const all = await this.store.searchResources<ProjectMembership>({ resourceType: 'ProjectMembership' });
    return all.filter(
      (m) =>
        m.user?.reference === login.principal &&
        (!login.projectId || m.project?.reference === `Project/${login.projectId}`)
    );
  }

  private async withDisplays(membership: WithId<ProjectMembership>): Promise<ProjectMembership> {
    const project = membership.project
      ? await this.store.readReference<Project>(membership.project as Reference<Project>).catch(() => undefined)
      : undefined;
    return {
      ...membership,
      project: { ...membership.project, display: project?.name ?? membership.project?.display },
    };
  }

  private issueCode(login: LoginRecord, membershipId: string): string {
    login.membershipId = membershipId;
    const code = generateSecret(16);
    login.codeDigest = secretDigest(code).toString('base64url');
    login.codeIssuedAt = Date.now();
    return code;
  }

  private async issueTokens(login: LoginRecord, withRefresh = true): Promise<TokenResponseBody> {
    const membership = await this.requireMembership(login);
    const profile = membership.profile?.reference ?? login.principal;
    const now = Math.floor(Date.now() / 1000);
    const lifetime = this.options.accessTokenLifetimeSeconds;
    const subject = login.principal.split('/')[1] ?? login.principal;
    const common = { login_id: login.id, sub: subject, iss: this.options.issuer(), iat: now };
    const clientClaims = login.clientId ? { client_id: login.clientId } : {};
    const accessToken = this.signer.sign({
      ...common,
      ...clientClaims,
      username: subject,
      profile,
      scope: login.scope,
      exp: now + lifetime,
      // jti makes two tokens minted in the same second differ.
      jti: generateSecret(8),
    });
    const idToken = this.signer.sign({ ...common, ...clientClaims, fhirUser: profile, aud: login.clientId, exp: now + lifetime });
    const refreshToken = withRefresh && wantsRefreshToken(login) ? generateSecret(32) : undefined;
    if (refreshToken) {
      login.refreshDigest = secretDigest(refreshToken).toString('base64url');
    }
    return {
      token_type: 'Bearer',
      scope: login.scope,
      expires_in: lifetime,
      id_token: idToken,
      access_token: accessToken,
      ...(refreshToken ? { refresh_token: refreshToken } : undefined),
      project: membership.project as Reference<Project>,
      profile: { reference: profile },
    };
  }
}

/** PKCE as Medplum requires it: a code with no challenge cannot be redeemed at all. */
function requireVerifier(login: LoginRecord, verifier: string | undefined): void {
  if (!login.codeChallenge) {
    throw new OAuthError('invalid_request', 'Missing verification context');
  }
  if (!verifier) {
    throw new OAuthError('invalid_request', 'Missing code verifier');
  }
  const expected = login.codeChallengeMethod === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  if (!matchesDigest(expected, secretDigest(login.codeChallenge))) {
    throw new OAuthError('invalid_request', 'Invalid code verifier');
  }
}

/** Medplum's rule (oauth/utils.ts includeRefreshToken): the legacy `remember` flag, or the scope `offline` / `offline_access`. */
function wantsRefreshToken(login: LoginRecord): boolean {
  if (login.remember) return true;
  const scopes = login.scope.split(' ');
  return scopes.includes('offline') || scopes.includes('offline_access');
}
