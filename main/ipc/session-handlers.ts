/** Connections and sign-in: what the Connections screen and the header ask main for. */
import type { Connection, ConnectionInput } from '../../preload/api/schemas/connection';
import type { ConnectionStore } from '../connections/connection-store';
import { checkServerReachable } from '../connections/check-server';
import { proxyMedplumRead } from '../session/medplum-read-proxy';
import type { SessionManager } from '../session/session-manager';
import type { Handler } from './dispatcher';

function signsInDifferently(before: Connection, after: ConnectionInput): boolean {
  const normalizedUrl = (url: string) => (url.trim().endsWith('/') ? url.trim() : `${url.trim()}/`);
  return (
    normalizedUrl(before.baseUrl) !== normalizedUrl(after.baseUrl) ||
    (before.projectId ?? '') !== (after.projectId?.trim() ?? '') ||
    JSON.stringify(before.signIn) !== JSON.stringify(after.signIn)
  );
}

export interface SessionHandlerDeps {
  connections: ConnectionStore;
  sessions: SessionManager;
  fetch?: typeof fetch;
}

export function createSessionHandlers(deps: SessionHandlerDeps): {
  listConnections: Handler<'listConnections'>;
  saveConnection: Handler<'saveConnection'>;
  removeConnection: Handler<'removeConnection'>;
  testConnection: Handler<'testConnection'>;
  signIn: Handler<'signIn'>;
  chooseMembership: Handler<'chooseMembership'>;
  getSession: Handler<'getSession'>;
  signOut: Handler<'signOut'>;
  medplumRead: Handler<'medplumRead'>;
} {
  const { connections, sessions } = deps;
  return {
    listConnections: () => connections.list(),
    saveConnection: async ({ connection }) => {
      if (connection.id) {
        const before = await connections.get(connection.id);
        // A saved sign-in belongs to the server, project and method it was made for: never send it elsewhere.
        if (signsInDifferently(before, connection)) await sessions.forget(connection.id);
      }
      return connections.upsert(connection);
    },
    removeConnection: async ({ connectionId }) => {
      await sessions.forget(connectionId);
      return { removed: await connections.remove(connectionId) };
    },
    testConnection: ({ baseUrl }) => checkServerReachable(deps.fetch ?? fetch, baseUrl),
    signIn: ({ connectionId, credentials }) => sessions.signIn(connectionId, credentials),
    chooseMembership: ({ pendingId, membershipId }) => sessions.chooseMembership(pendingId, membershipId),
    getSession: () => sessions.restore(),
    signOut: async () => {
      await sessions.signOut();
      return { signedOut: true };
    },
    medplumRead: ({ url }) => proxyMedplumRead(sessions, deps.fetch ?? fetch, url),
  };
}
