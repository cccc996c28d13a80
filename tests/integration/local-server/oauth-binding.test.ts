/**
 * What binds an authorization code at oauth2/token: the client it was issued to, the redirect URI
 * it was issued for, its PKCE verifier, and single use (a replay revokes the sign-in).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ClientApplication } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LocalServer } from '../../support/local-server';
import { signInAsAdmin, startTestServer } from '../../support/local-server';

interface TokenAnswer {
  status: number;
  error?: string;
  description?: string;
  accessToken?: string;
  refreshToken?: string;
}

describe('authorization codes are bound to what they were issued for', () => {
  let server: LocalServer;
  let app: ClientApplication & { secret: string };
  let other: ClientApplication & { secret: string };

  beforeAll(async () => {
    server = await startTestServer();
    const admin = await signInAsAdmin(server);
    app = await admin.post(`admin/projects/${server.projectId}/client`, { name: 'Browser sign-in', redirectUri: 'http://127.0.0.1:4711/callback' });
    other = await admin.post(`admin/projects/${server.projectId}/client`, { name: 'Another client' });
  });
  afterAll(async () => {
    await server.stop();
  });

  async function login(extra: Record<string, string | undefined>, withPkce = true): Promise<{ code: string; verifier: string }> {
    const verifier = randomBytes(32).toString('base64url');
    const pkce = withPkce ? { codeChallenge: createHash('sha256').update(verifier).digest('base64url'), codeChallengeMethod: 'S256' } : {};
    const response = await fetch(`${server.baseUrl}auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: server.admin.email, password: server.admin.password, scope: 'openid offline', ...pkce, ...extra }),
    });
    expect(response.status).toBe(200);
    return { code: ((await response.json()) as { code: string }).code, verifier };
  }

  async function token(params: Record<string, string | undefined>): Promise<TokenAnswer> {
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value !== undefined) form.set(key, value);
    const response = await fetch(`${server.baseUrl}oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
    });
    const body = (await response.json()) as { error?: string; error_description?: string; access_token?: string; refresh_token?: string };
    return { status: response.status, error: body.error, description: body.error_description, accessToken: body.access_token, refreshToken: body.refresh_token };
  }

  test('a code issued to a client needs that client_id: none, or another, is refused', async () => {
    const { code, verifier } = await login({ clientId: app.id });
    expect(await token({ grant_type: 'authorization_code', code, code_verifier: verifier })).toMatchObject({ status: 400, description: 'Invalid client' });
    expect(await token({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: other.id })).toMatchObject({ status: 400, description: 'Invalid client' });
    const granted = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: app.id });
    expect(granted.status).toBe(200);
    expect(granted.accessToken).toEqual(expect.any(String));
  });

  test('a code from auth/login without a client (the console’s password sign-in) is not redeemable by a client', async () => {
    const first = await login({});
    expect(await token({ grant_type: 'authorization_code', code: first.code, code_verifier: first.verifier, client_id: app.id })).toMatchObject({
      status: 400,
      description: 'Invalid client',
    });
    expect((await token({ grant_type: 'authorization_code', code: first.code, code_verifier: first.verifier })).status).toBe(200);
  });

  test('a code issued for a redirect URI needs exactly that redirect_uri', async () => {
    const redirectUri = 'http://127.0.0.1:4711/callback';
    const { code, verifier } = await login({ clientId: app.id, redirectUri });
    const base = { grant_type: 'authorization_code', code, code_verifier: verifier, client_id: app.id };
    expect(await token(base)).toMatchObject({ status: 400, error: 'invalid_grant', description: 'Invalid redirect URI' });
    expect(await token({ ...base, redirect_uri: 'http://127.0.0.1:4712/callback' })).toMatchObject({ status: 400, description: 'Invalid redirect URI' });
    expect((await token({ ...base, redirect_uri: redirectUri })).status).toBe(200);
  });

  test('auth/login refuses a redirect URI the client did not register, and an unknown client', async () => {
    const unregistered = await fetch(`${server.baseUrl}auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: server.admin.email, password: server.admin.password, clientId: app.id, redirectUri: 'https://evil.example/cb', codeChallenge: 'x'.repeat(43), codeChallengeMethod: 'plain' }),
    });
    expect(unregistered.status).toBe(400);
    const unknown = await fetch(`${server.baseUrl}auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: server.admin.email, password: server.admin.password, clientId: 'no-such-client', codeChallenge: 'x'.repeat(43), codeChallengeMethod: 'plain' }),
    });
    expect(unknown.status).toBe(400);
  });

  test('a code without PKCE cannot be redeemed (as on Medplum: "Missing verification context")', async () => {
    const { code } = await login({}, false);
    expect(await token({ grant_type: 'authorization_code', code })).toMatchObject({ status: 400, description: 'Missing verification context' });
  });

  test('a code redeemed twice revokes the sign-in it gave', async () => {
    const { code, verifier } = await login({});
    const first = await token({ grant_type: 'authorization_code', code, code_verifier: verifier });
    expect(first.status).toBe(200);
    expect(await token({ grant_type: 'authorization_code', code, code_verifier: verifier })).toMatchObject({ status: 400, error: 'invalid_grant' });
    const read = await fetch(`${server.baseUrl}fhir/R4/Patient`, { headers: { Authorization: `Bearer ${first.accessToken}` } });
    expect(read.status).toBe(401);
    expect((await token({ grant_type: 'refresh_token', refresh_token: first.refreshToken })).status).toBe(400);
  });

  test('a refresh token is bound to its client when HTTP Basic names one', async () => {
    const { code, verifier } = await login({ clientId: app.id });
    const granted = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, client_id: app.id });
    const wrongClient = await fetch(`${server.baseUrl}oauth2/token`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(`${other.id}:${other.secret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: granted.refreshToken as string }),
    });
    expect(wrongClient.status).toBe(400);
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: granted.refreshToken, client_id: app.id });
    expect(refreshed.status).toBe(200);
    expect(refreshed.refreshToken).not.toBe(granted.refreshToken);
  });
});

describe('refresh tokens, as Medplum gives them', () => {
  test('only for the offline scope (or the legacy remember flag)', async () => {
    const server = await startTestServer();
    try {
      const tokensFor = async (extra: Record<string, unknown>) => {
        const verifier = randomBytes(32).toString('base64url');
        const login = await fetch(`${server.baseUrl}auth/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email: server.admin.email, password: server.admin.password, codeChallenge: createHash('sha256').update(verifier).digest('base64url'), codeChallengeMethod: 'S256', ...extra }),
        });
        const { code } = (await login.json()) as { code: string };
        const form = new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier });
        const response = await fetch(`${server.baseUrl}oauth2/token`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: form });
        return (await response.json()) as { access_token?: string; refresh_token?: string };
      };
      const plain = await tokensFor({});
      expect(plain.access_token).toEqual(expect.any(String));
      expect(plain.refresh_token).toBeUndefined();
      expect((await tokensFor({ scope: 'openid offline' })).refresh_token).toEqual(expect.any(String));
      expect((await tokensFor({ scope: 'openid offline_access' })).refresh_token).toEqual(expect.any(String));
      expect((await tokensFor({ remember: true })).refresh_token).toEqual(expect.any(String));
    } finally {
      await server.stop();
    }
  });
});
