import { accepted, getStatus, isOk, isResource, OperationOutcomeError, validationError } from '@medplum/core';
import type { FhirRepository, FhirRequest, FhirResponse, HttpMethod } from '@medplum/fhir-router';
import type { AsyncJob, Bundle, OperationOutcome, Parameters, Resource } from '@medplum/fhirtypes';
import { stripExtendedMeta, wantsExtendedMode } from './extended-mode';
import { formToRecord, HttpError, sendJson } from './http-io';
import { quotaMembershipId } from './on-behalf-of';
import { matchPath } from './path-match';
import { patientEverything } from './patient-everything';
import { setAccountsOperation, startSetAccountsJob } from './repo/set-accounts';
import { buildRequestRepository } from './request-repository';
import type { RequestWriteOptions } from './write-options-repository';
import { WriteOptionsRepository } from './write-options-repository';
import type { HttpRequest, ServerContext, Session } from './server-context';
import { requireSession } from './session';
import { rateLimitHeaders } from './write-quota';

export const FHIR_PREFIX = 'fhir/R4';
const TRANSACTION_FEATURE = 'transaction-bundles';

/** Everything under `fhir/R4/`: fhir-router for REST, plus $set-accounts, job status and metadata. */
export async function handleFhirRoute(ctx: ServerContext, req: HttpRequest): Promise<boolean> {
  if (req.path !== FHIR_PREFIX && !req.path.startsWith(`${FHIR_PREFIX}/`)) {
    return false;
  }
  const fhirPath = req.path.slice(FHIR_PREFIX.length).replace(/^\//, '');
  if (req.method === 'GET' && fhirPath === 'metadata') {
    sendFhir(req, 200, capabilityStatement());
    return true;
  }
  const session = await requireSession(ctx, req);
  const repo = await buildRequestRepository(ctx, session);

  const jobParams = matchPath('job/:id/status', fhirPath);
  if (jobParams && req.method === 'GET') {
    // Read as the caller, as Medplum does: access policies apply to AsyncJob like any type.
    const job = await repo.readResource<AsyncJob>('AsyncJob', jobParams.id as string);
    sendFhir(req, job.status === 'accepted' ? 202 : 200, job);
    return true;
  }

  const setAccounts = matchPath(':resourceType/:id/$set-accounts', fhirPath);
  if (setAccounts && req.method === 'POST') {
    await handleSetAccounts(ctx, req, session, repo, setAccounts.resourceType as string, setAccounts.id as string);
    return true;
  }

  if (req.method === 'GET' && fhirPath === '_history') {
    // Medplum has no system-level history: it reads `_history` as a resource type.
    throw new OperationOutcomeError(validationError('Unknown resource type'));
  }
  const clientRepo = clientWriteRepository(req, session, repo);
  const everything = matchPath('Patient/:id/$everything', fhirPath);
  if (everything && (req.method === 'GET' || req.method === 'POST')) {
    const extended = wantsExtendedMode(req.raw.headers['x-medplum']);
    const bundle = await ctx.gate.shared(() => patientEverything(clientRepo, everything.id as string, extended));
    sendFhir(req, 200, bundle, quotaHeaders(ctx, session));
    return true;
  }

  const fhirRequest: FhirRequest = {
    method: req.method as HttpMethod,
    url: fhirPath + req.url.search,
    pathname: '',
    body: req.body,
    params: {},
    query: formToRecord(req.url.searchParams),
    headers: req.raw.headers,
    config: { transactions: session.project.features?.includes(TRANSACTION_FEATURE) ?? false },
  };
  const response = await runThroughRouter(ctx, fhirRequest, clientRepo);
  sendRouterResponse(ctx, req, session, response);
  return true;
}

/**
 * What a client's FHIR request writes through, as on Medplum: validated against the
 * StructureDefinitions; authored by the signed-in profile (and `onBehalfOf` the one it acts as);
 * and, for a project admin without `X-Medplum: extended`, with accounts derived rather than taken
 * from the request (a non-admin's policy layer sets its own writer). $set-accounts skips this: it
 * writes accounts by design.
 */
function clientWriteRepository(req: HttpRequest, session: Session, repo: FhirRepository): FhirRepository {
  const signedIn = session.authenticatedMembership ?? session.membership;
  const options: RequestWriteOptions = {
    validateOnWrite: true,
    author: signedIn.profile,
    onBehalfOf: session.authenticatedMembership ? session.membership.profile : undefined,
  };
  const extended = wantsExtendedMode(req.raw.headers['x-medplum']);
  const plainAdmin = session.membership.admin && !extended;
  return new WriteOptionsRepository(repo, plainAdmin ? { ...options, accountsWriter: { canWriteAccounts: false } } : options);
}

/**
 * A transaction is atomic only when the project has `transaction-bundles` (fhir-router then
 * stops at the first failing entry); MemoryRepository has no rollback, so we snapshot the store
 * and restore it on failure, with the store to ourselves meanwhile.
 */
async function runThroughRouter(ctx: ServerContext, fhirRequest: FhirRequest, repo: FhirRepository): Promise<FhirResponse> {
  const body = fhirRequest.body as Partial<Bundle> | undefined;
  const atomic =
    fhirRequest.method === 'POST' &&
    fhirRequest.url.split('?')[0] === '' &&
    body?.resourceType === 'Bundle' &&
    body.type === 'transaction' &&
    fhirRequest.config?.transactions === true;
  if (!atomic) {
    return ctx.gate.shared(() => ctx.fhirRouter.handleRequest(fhirRequest, repo));
  }
  return ctx.gate.exclusive(async () => {
    const before = ctx.store.snapshot();
    const response = await ctx.fhirRouter.handleRequest(fhirRequest, repo);
    if (!isOk(response[0])) {
      ctx.store.restore(before);
    }
    return response;
  });
}

function sendRouterResponse(ctx: ServerContext, req: HttpRequest, session: Session, response: FhirResponse): void {
  const [outcome, resource] = response;
  const status = getStatus(outcome);
  const headers: Record<string, string> = { ...quotaHeaders(ctx, session) };
  const body = resource ?? outcome;
  const versionId = resource?.meta?.versionId;
  if (resource && versionId && resource.resourceType !== 'Bundle') {
    headers.ETag = `W/"${versionId}"`;
    if (resource.meta?.lastUpdated) {
      headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
    }
    if (status === 201 && resource.id) {
      headers.Location = `${ctx.baseUrl()}${FHIR_PREFIX}/${resource.resourceType}/${resource.id}/_history/${versionId}`;
    }
  }
  sendFhir(req, status, body, headers);
}

async function handleSetAccounts(
  ctx: ServerContext,
  req: HttpRequest,
  session: Session,
  repo: FhirRepository,
  resourceType: string,
  id: string
): Promise<void> {
  if (!session.membership.admin) {
    throw new HttpError(403, 'Forbidden');
  }
  const params = req.body as Parameters | undefined;
  if (!isResource(params, 'Parameters')) {
    throw new HttpError(400, 'Expected a Parameters body');
  }
  if (preferAsync(req.raw.headers.prefer)) {
    const { job, done } = await startSetAccountsJob(repo, resourceType, id, params, req.url.toString(), ctx.accountsRepo);
    ctx.background.track(done);
    const statusUrl = `${ctx.baseUrl()}${FHIR_PREFIX}/job/${job.id}/status`;
    sendFhir(req, 202, accepted(statusUrl), { 'Content-Location': statusUrl });
    return;
  }
  const result = await ctx.gate.shared(() => setAccountsOperation(repo, resourceType, id, params, ctx.accountsRepo));
  sendFhir(req, 200, result, quotaHeaders(ctx, session));
}

function quotaHeaders(ctx: ServerContext, session: Session): Record<string, string> {
  return ctx.quota ? rateLimitHeaders(ctx.quota.status(quotaMembershipId(session))) : {};
}

function sendFhir(req: HttpRequest, status: number, body: Resource | OperationOutcome, headers: Record<string, string> = {}): void {
  const shown = wantsExtendedMode(req.raw.headers['x-medplum']) ? body : stripExtendedMeta(body);
  sendJson(req.res, status, shown, headers, 'application/fhir+json');
}

function preferAsync(prefer: string | string[] | undefined): boolean {
  return [prefer ?? []].flat().some((value) => value.split(',').some((p) => p.trim() === 'respond-async'));
}

function capabilityStatement(): Resource {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    software: { name: 'MSO Admin Console local server (not for production)' },
  };
}
