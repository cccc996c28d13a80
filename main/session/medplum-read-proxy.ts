/**
 * Lets @medplum/react components in the renderer read from the connected Medplum server without
 * ever holding a token: the renderer's MedplumClient sends its GETs here, main checks that each
 * one is a read or search of a resource type the screens show, on the active connection's own
 * base URL, adds the token, and returns the answer. Nothing but GET is proxied, and nothing that
 * can carry a secret (ClientApplication, Project, User, Bot, ...) is ever returned.
 */
import { AppError } from '../ipc/app-error';
import type { SessionManager } from './session-manager';

export interface ProxiedResponse {
  status: number;
  contentType: string;
  body: string;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** What the screens' @medplum/react components read: people, clinics and clinical records. */
export const READABLE_TYPES: ReadonlySet<string> = new Set([
  'Patient',
  'Practitioner',
  'Organization',
  'Observation',
  'Encounter',
  'DiagnosticReport',
  'Communication',
  'Condition',
  'Consent',
]);

/** Search parameters that would bring other resource types into the answer. */
const FORBIDDEN_PARAMETERS = /^_(include|revinclude)(:|$)/;

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
  const [resourceType] = path.slice(fhirRoot.length).split('/');
  if (!resourceType || !READABLE_TYPES.has(resourceType)) return null;
  for (const name of url.searchParams.keys()) {
    if (FORBIDDEN_PARAMETERS.test(name)) return null;
  }
  return url;
}

/** Whatever the server answered, only readable types go back to the renderer. */
function onlyReadableTypes(body: string): string | null {
  let parsed: { resourceType?: string; entry?: { resource?: { resourceType?: string } }[] };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return null;
  }
  if (parsed.resourceType === 'OperationOutcome') return body;
  if (parsed.resourceType === 'Bundle') {
    const entry = (parsed.entry ?? []).filter((item) => READABLE_TYPES.has(item.resource?.resourceType ?? ''));
    return JSON.stringify({ ...parsed, entry });
  }
  return READABLE_TYPES.has(parsed.resourceType ?? '') ? body : null;
}

export async function proxyMedplumRead(sessions: SessionManager, fetchImpl: typeof fetch, requested: string): Promise<ProxiedResponse> {
  const client = sessions.client();
  const url = allowedReadUrl(client.getBaseUrl(), requested);
  if (!url) {
    throw new AppError('invalid_argument', 'Only reads of patients, clinicians, clinics and their records on the connected server are allowed from the console window.');
  }
  await client.refreshIfExpired();
  const token = client.getAccessToken();
  const response = await fetchImpl(url, {
    method: 'GET',
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
