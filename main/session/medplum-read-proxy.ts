/**
 * Lets @medplum/react components in the renderer read from the connected Medplum server without
 * ever holding a token: the renderer's MedplumClient sends its GETs here, main checks that each
 * one is a FHIR read or search on the active connection's own base URL, adds the token, and
 * returns the answer. Nothing but GET is proxied: every change goes through the engines.
 */
import { AppError } from '../ipc/app-error';
import type { SessionManager } from './session-manager';

export interface ProxiedResponse {
  status: number;
  contentType: string;
  body: string;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export function allowedReadUrl(baseUrl: string, requested: string): URL | null {
  let url: URL;
  try {
    url = new URL(requested);
  } catch {
    return null;
  }
  const base = new URL(baseUrl);
  if (url.origin !== base.origin || url.username || url.password) return null;
  // URL parsing has already resolved any "..", so a prefix check is enough.
  const fhirRoot = `${base.pathname.replace(/\/?$/, '/')}fhir/R4/`;
  if (!url.pathname.startsWith(fhirRoot)) return null;
  // Operations ($...) may write (e.g. $set-accounts via GET is not a thing, but keep the rule simple).
  if (url.pathname.includes('$')) return null;
  return url;
}

export async function proxyMedplumRead(sessions: SessionManager, fetchImpl: typeof fetch, requested: string): Promise<ProxiedResponse> {
  const client = sessions.client();
  const url = allowedReadUrl(client.getBaseUrl(), requested);
  if (!url) {
    throw new AppError('invalid_argument', 'Only reads of FHIR resources on the connected server are allowed from the console window.');
  }
  await client.refreshIfExpired();
  const token = client.getAccessToken();
  const response = await fetchImpl(url, {
    method: 'GET',
    headers: { Accept: 'application/fhir+json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  const body = await response.text();
  if (body.length > MAX_BODY_BYTES) {
    throw new AppError('server_error', 'The server sent more than the console shows at once. Narrow the search.');
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? 'application/fhir+json', body };
}
