/**
 * Lets @medplum/react components in the renderer read from the connected Medplum server without
 * ever holding a token: the renderer's MedplumClient sends its GETs here, main checks that each
 * one is a read or search of a resource type the screens show, with only allow-listed query
 * parameters (read-proxy-allow-list.ts), on the active connection's own base URL, adds the token,
 * and returns the answer. Nothing but GET is proxied, and nothing that can carry a secret
 * (ClientApplication, Project, User, Bot, ...) is ever returned, nor a count of it.
 */
import { AppError } from '../errors/app-error';
import { isAllowedRequest, READABLE_TYPES } from './read-proxy-allow-list';
import type { SessionManager } from './session-manager';

export { READABLE_TYPES };

export interface ProxiedResponse {
  status: number;
  contentType: string;
  body: string;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export function allowedReadUrl(baseUrl: string, requested: string): URL | null {
  let url: URL;
  let path: string;
  try {
    url = new URL(requested);
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  const base = new URL(baseUrl);
  if (url.origin !== base.origin || url.username || url.password) return null;
  // URL parsing has already resolved "..", so a prefix check on the decoded path is enough.
  const fhirRoot = `${base.pathname.replace(/\/?$/, '/')}fhir/R4/`;
  if (!path.startsWith(fhirRoot) || path.includes('$') || path.includes('\\')) return null;
  return isAllowedRequest(path.slice(fhirRoot.length).split('/'), url.searchParams) ? url : null;
}

/**
 * Whatever the server answered, only readable types go back to the renderer. A bundle that lost
 * entries also loses its total and links: both were computed over what was left out.
 */
export function onlyReadableTypes(body: string): string | null {
  let parsed: { resourceType?: string; total?: number; link?: unknown[]; entry?: { resource?: { resourceType?: string } }[] };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return null;
  }
  if (parsed.resourceType === 'OperationOutcome') return body;
  if (parsed.resourceType === 'Bundle') {
    const all = parsed.entry ?? [];
    const entry = all.filter((item) => READABLE_TYPES.has(item.resource?.resourceType ?? ''));
    if (entry.length === all.length) return body;
    const { total: _total, link: _link, ...rest } = parsed;
    return JSON.stringify({ ...rest, entry });
  }
  return READABLE_TYPES.has(parsed.resourceType ?? '') ? body : null;
}

export async function proxyMedplumRead(sessions: SessionManager, fetchImpl: typeof fetch, requested: string): Promise<ProxiedResponse> {
  const client = sessions.client();
  const url = allowedReadUrl(client.getBaseUrl(), requested);
  if (!url) {
    throw new AppError('invalid_argument', 'Only reads of patients, clinicians, clinics and their records on the connected server are allowed from the console window.');
  }
  const sessionEnded = sessions.sessionSignal();
  await client.refreshIfExpired();
  const token = client.getAccessToken();
  const response = await fetchImpl(url, {
    method: 'GET',
    // A read in flight when the session ends (sign-out, switch) is dropped with it.
    signal: sessionEnded,
    // A redirect could carry the token elsewhere: refuse it.
    redirect: 'error',
    headers: { Accept: 'application/fhir+json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  const text = await response.text();
  if (text.length > MAX_BODY_BYTES) {
    throw new AppError('server_error', 'The server sent more than the console shows at once. Narrow the search.');
  }
  const body = onlyReadableTypes(text);
  if (body === null) {
    throw new AppError('invalid_argument', 'The server answered with something the console window may not show.');
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? 'application/fhir+json', body };
}
