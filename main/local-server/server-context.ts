import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WithId } from '@medplum/core';
import type { FhirRouter } from '@medplum/fhir-router';
import type { Project, ProjectMembership } from '@medplum/fhirtypes';
import type { AuthService, LoginRecord } from './auth-service';
import type { BackgroundTasks } from './background-tasks';
import type { LocalMemoryStore } from './memory-store';
import type { AccountsRepository } from './repo/accounts-repository';
import type { TransactionGate } from './transaction-gate';
import type { WriteQuotaLedger } from './write-quota';

/** Everything the route handlers share for the life of one server. */
export interface ServerContext {
  readonly store: LocalMemoryStore;
  readonly accountsRepo: AccountsRepository;
  readonly auth: AuthService;
  readonly fhirRouter: FhirRouter;
  readonly gate: TransactionGate;
  readonly background: BackgroundTasks;
  readonly quota: WriteQuotaLedger | undefined;
  readonly projectId: string;
  /** e.g. `http://127.0.0.1:4321/` (trailing slash, like MedplumClient's baseUrl). */
  baseUrl(): string;
}

/** One parsed HTTP request. `path` is relative to the base URL, without leading slash or query. */
export interface HttpRequest {
  readonly raw: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  readonly path: string;
  readonly url: URL;
  readonly body: unknown;
}

/** Who is calling, resolved from the bearer token on every request. */
export interface Session {
  readonly login: LoginRecord;
  /** Read fresh per request, so membership edits apply to tokens already issued. */
  readonly membership: WithId<ProjectMembership>;
  /**
   * The membership that signed in, when it differs from `membership`: a project admin's request
   * with `X-Medplum-On-Behalf-Of` runs as another membership (see on-behalf-of.ts).
   */
  readonly authenticatedMembership?: WithId<ProjectMembership>;
  readonly project: WithId<Project>;
}
