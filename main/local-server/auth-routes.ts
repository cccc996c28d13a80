import type { AccessPolicy, Resource } from '@medplum/fhirtypes';
import type { LoginRequestBody } from './auth-service';
import { OAuthError } from './auth-service';
import { HttpError, sendJson } from './http-io';
import { resolveAccessPolicies } from './repo/resolve-access';
import type { HttpRequest, ServerContext } from './server-context';
import { requireSession } from './session';

/** auth/login, auth/profile, oauth2/token, auth/me, logout. Returns false when the path is not ours. */
export async function handleAuthRoute(ctx: ServerContext, req: HttpRequest): Promise<boolean> {
  const { method, path } = req;
  if (method === 'POST' && path === 'auth/login') {
    sendJson(req.res, 200, await ctx.auth.login(asRecord(req.body) as LoginRequestBody));
    return true;
  }
  if (method === 'POST' && path === 'auth/profile') {
    const body = asRecord(req.body);
    sendJson(req.res, 200, await ctx.auth.chooseProfile(stringOrUndefined(body.login), stringOrUndefined(body.profile)));
    return true;
  }
  if (method === 'POST' && path === 'oauth2/token') {
    await handleToken(ctx, req);
    return true;
  }
  if (method === 'GET' && path === 'auth/me') {
    sendJson(req.res, 200, await sessionDetails(ctx, req));
    return true;
  }
  if (method === 'POST' && (path === 'oauth2/logout' || path === 'auth/logout')) {
    const session = await requireSession(ctx, req);
    ctx.auth.revoke(session.login.id);
    sendJson(req.res, 200, {});
    return true;
  }
  return false;
}

async function handleToken(ctx: ServerContext, req: HttpRequest): Promise<void> {
  const params = Object.fromEntries(
    Object.entries(asRecord(req.body)).map(([key, value]) => [key, stringOrUndefined(value)])
  ) as Record<string, string | undefined>;
  // MedplumClient may send client credentials as HTTP Basic instead of in the form.
  const basic = basicCredentials(req.raw.headers.authorization);
  if (basic) {
    params.client_id ??= basic.id;
    params.client_secret ??= basic.secret;
  }
  try {
    switch (params.grant_type) {
      case 'authorization_code':
        sendJson(req.res, 200, await ctx.auth.exchangeCode(params));
        return;
      case 'refresh_token':
        sendJson(req.res, 200, await ctx.auth.refresh(params, basic));
        return;
      case 'client_credentials':
        sendJson(req.res, 200, await ctx.auth.clientCredentials(params));
        return;
      default:
        throw new OAuthError('unsupported_grant_type', 'Unsupported grant type');
    }
  } catch (err) {
    if (err instanceof OAuthError) {
      sendJson(req.res, err.status, { error: err.error, error_description: err.description });
      return;
    }
    throw err;
  }
}

/** The SessionDetails MedplumClient reads into getProfile/getProject/getProjectMembership. */
async function sessionDetails(ctx: ServerContext, req: HttpRequest): Promise<Record<string, unknown>> {
  const session = await requireSession(ctx, req);
  const [principalType, principalId] = session.login.principal.split('/');
  const user = await ctx.store.readResource<Resource>(principalType as string, principalId as string);
  const profile = session.membership.profile
    ? await ctx.store.readReference(session.membership.profile).catch(() => undefined)
    : undefined;
  const policies = session.membership.admin ? undefined : await resolveAccessPolicies(ctx.store, session.membership);
  const accessPolicy: AccessPolicy | undefined = policies && {
    resourceType: 'AccessPolicy',
    resource: policies.flatMap((policy) => policy.resource ?? []),
  };
  return {
    user,
    project: session.project,
    membership: session.membership,
    profile: profile ?? user,
    config: { resourceType: 'UserConfiguration', menu: [] },
    ...(accessPolicy ? { accessPolicy } : undefined),
  };
}

function basicCredentials(header: string | undefined): { id?: string; secret?: string } | undefined {
  if (!header?.startsWith('Basic ')) {
    return undefined;
  }
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? { id: decoded } : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function asRecord(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'Expected a JSON object body');
  }
  return body as Record<string, unknown>;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
