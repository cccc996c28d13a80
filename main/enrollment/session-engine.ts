/**
 * Builds the engines' context for the signed-in session: the client, the project, the installed
 * MSO policy (looked up once per session), the connection's MRN system and isolation mode, and
 * the connection's activity log in the user-data folder.
 */
import path from 'node:path';
import type { AccessPolicy, Reference } from '@medplum/fhirtypes';
import type { SessionInfo } from '../../preload/api/schemas/connection';
import { findUniversalConsent } from '../engines/consent';
import { findInstalledPolicy } from '../engines/install-policy';
import { JsonLinesActivityLog } from '../engines/activity-log';
import type { EngineContext } from '../engines/engine-context';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import type { SessionManager } from '../session/session-manager';
import { Outbox } from '../history/outbox';
import { TrailSink } from '../history/trail-sink';

export interface SessionEngine {
  /** For reads: works without the MSO policy installed. */
  read(): Promise<EngineContext>;
  /** For changes: needs a project administrator and the MSO policy. */
  write(): Promise<EngineContext>;
  session(): SessionInfo;
  activityLog(): JsonLinesActivityLog;
  /** The shared trail of this connection: the local log, the outbox on disk, the project's AuditEvents. */
  trail(): { sink: TrailSink; outbox: Outbox };
  /** Forget the cached policy (after installing or upgrading it). */
  policyChanged(): void;
  /**
   * The universal Consent of consent gating: the connection's own, else the one the console set
   * up earlier (found by its identifier); undefined when there is none yet.
   */
  consentReference(): Promise<string | undefined>;
  /** Forget the cached consent (after setting one up). */
  consentChanged(): void;
}

const NO_POLICY: Reference<AccessPolicy> = { reference: 'AccessPolicy/not-installed' };

export function createSessionEngine(deps: { sessions: SessionManager; userDataDir: string; logger: Logger }): SessionEngine {
  const policies = new Map<string, Promise<Reference<AccessPolicy> | undefined>>();
  const logs = new Map<string, JsonLinesActivityLog>();
  const consents = new Map<string, Promise<string | undefined>>();
  const trails = new Map<string, { sink: TrailSink; outbox: Outbox }>();

  const session = (): SessionInfo => {
    const info = deps.sessions.current();
    if (!info) throw new AppError('not_signed_in', 'Sign in to a connection first (Connections).');
    return info;
  };

  const activityLog = (): JsonLinesActivityLog => {
    const { connectionId } = session();
    let log = logs.get(connectionId);
    if (!log) {
      log = new JsonLinesActivityLog(path.join(deps.userDataDir, 'activity', `${connectionId}.jsonl`));
      logs.set(connectionId, log);
    }
    return log;
  };

  const trail = (): { sink: TrailSink; outbox: Outbox } => {
    const { connectionId } = session();
    let found = trails.get(connectionId);
    if (!found) {
      const outbox = new Outbox(path.join(deps.userDataDir, 'activity', `${connectionId}.outbox.jsonl`));
      // The client of whoever is signed in to this connection when the entries are sent.
      const client = () => (deps.sessions.current()?.connectionId === connectionId ? deps.sessions.client() : undefined);
      found = { outbox, sink: new TrailSink({ local: activityLog(), outbox, client, logger: deps.logger }) };
      trails.set(connectionId, found);
    }
    return found;
  };

  const policyFor = (info: SessionInfo): Promise<Reference<AccessPolicy> | undefined> => {
    const key = `${info.connectionId}|${info.projectId}`;
    let found = policies.get(key);
    if (!found) {
      found = findInstalledPolicy(deps.sessions.client()).then((policy) => (policy ? { reference: `AccessPolicy/${policy.id}` } : undefined));
      found.catch(() => policies.delete(key));
      policies.set(key, found);
    }
    return found;
  };

  const context = (info: SessionInfo, msoPolicy: Reference<AccessPolicy>): EngineContext => {
    const connection = deps.sessions.activeConnection();
    return {
      client: deps.sessions.client(),
      projectId: info.projectId,
      msoPolicy,
      mrnSystem: connection.mrnSystem,
      isolation: connection.isolationMode === 'membership-per-clinic' ? 'strict' : 'shared',
      activity: trail().sink,
      logger: deps.logger,
      sessionEnded: deps.sessions.sessionSignal(),
    };
  };

  return {
    session,
    activityLog,
    trail,
    async read() {
      const info = session();
      // Only administrators may read AccessPolicy resources; others read without it.
      if (!info.isProjectAdmin) return context(info, NO_POLICY);
      return context(info, (await policyFor(info)) ?? NO_POLICY);
    },
    async write() {
      const info = session();
      if (!info.isProjectAdmin) {
        throw new AppError(
          'forbidden',
          `You are signed in as ${info.profileName}, who is not an administrator of ${info.projectName}. Ask a project administrator to make this account an administrator, or sign in with one.`,
        );
      }
      const policy = await policyFor(info);
      if (!policy) {
        throw new AppError(
          'not_found',
          'The MSO access policy is not installed in this project yet. Open Access audit and install it; nobody can be enrolled without it.',
        );
      }
      return context(info, policy);
    },
    policyChanged() {
      policies.clear();
    },
    consentReference() {
      const own = deps.sessions.activeConnection().consentReference;
      if (own) return Promise.resolve(own);
      const key = session().connectionId;
      let found = consents.get(key);
      if (!found) {
        found = findUniversalConsent(deps.sessions.client()).catch(() => undefined);
        consents.set(key, found);
      }
      return found;
    },
    consentChanged() {
      consents.clear();
    },
  };
}
