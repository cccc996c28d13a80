/** Connections and sign-in: what the Connections screen and the header ask main for. */
import type { ConnectionStore } from '../connections/connection-store';
import { checkServerReachable } from '../connections/check-server';
import { proxyMedplumRead } from '../session/medplum-read-proxy';
import type { SessionManager } from '../session/session-manager';
import type { Handler } from './dispatcher';

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
      const before = connection.id ? await connections.get(connection.id) : null;
      const saved = await connections.upsert(connection);
      // Sign-ins in flight are cancelled; a saved sign-in never follows the connection elsewhere.
      if (before) await sessions.connectionEdited(before, saved);
      return saved;
    },
    removeConnection: async ({ connectionId }) => {
      // A locked connection is refused before its saved sign-in is forgotten.
      connections.assertEditable(connectionId);
      // Removed first, so that no sign-in can start on it between the two steps; then its
      // sessions, sign-ins in flight and saved secrets go.
      const removed = await connections.remove(connectionId);
      await sessions.forget(connectionId);
      return { removed };
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
