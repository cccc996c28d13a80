/**
 * The app's connections and keychain sign-ins, without a window: the command line reads the same
 * settings file and the same keychain entries as the app, so a sign-in saved by the app works
 * here (and a refresh here rotates the app's saved token, as a second window would).
 */
import os from 'node:os';
import path from 'node:path';
import { ConnectionStore } from '../connections/connection-store';
import { type SessionEngine, createSessionEngine } from '../enrollment/session-engine';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import { KEYCHAIN_SERVICE, KeytarSecretStore } from '../secrets/keytar-secret-store';
import { SessionManager } from '../session/session-manager';

/** Electron's `userData` folder for this product on each OS (where the app keeps its settings). */
export function defaultUserDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  const product = 'MSO Admin Console';
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), product);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', product);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), product);
}

export interface HeadlessSession {
  readonly engine: SessionEngine;
  readonly sessions: SessionManager;
  readonly userDataDir: string;
  end(): Promise<void>;
}

export async function openHeadlessSession(options: {
  userDataDir: string;
  connection: string;
  logger: Logger;
  keychainService?: string;
}): Promise<HeadlessSession> {
  const connections = new ConnectionStore(path.join(options.userDataDir, 'connections.json'));
  const { connections: all } = await connections.list();
  const wanted = options.connection.trim().toLowerCase();
  const matches = all.filter((connection) => connection.id === options.connection || connection.name.trim().toLowerCase() === wanted);
  if (matches.length !== 1) {
    const names = all.map((connection) => `“${connection.name}”`).join(', ') || 'none yet';
    throw new AppError(
      'not_found',
      matches.length ? `Two connections are called “${options.connection}”: give its id instead.` : `No connection is called “${options.connection}”. Connections in the app: ${names}.`,
    );
  }
  const connection = matches[0] as (typeof all)[number];
  if (connection.signIn.method === 'local-sandbox') {
    throw new AppError('invalid_argument', 'The local sandbox runs inside the app; the command line imports into Medplum servers only.');
  }
  const sessions = new SessionManager({
    connections,
    secrets: new KeytarSecretStore(options.keychainService ?? KEYCHAIN_SERVICE),
    sandbox: {
      ensureStarted: () => Promise.reject(new AppError('invalid_argument', 'No local sandbox on the command line.')),
      stop: async () => undefined,
    },
    openBrowser: () => Promise.reject(new AppError('invalid_argument', 'No browser sign-in on the command line: sign in from the app first.')),
    // A restore that fails says why through its session event: refused, or the server away.
    onEvent: (event) => {
      if (event.state === 'expired' && event.connectionId === connection.id) {
        restoreFailure = event.reason;
        restoreKept = event.signInKept === true;
      }
    },
    logger: options.logger,
  });
  let restoreFailure: string | undefined;
  let restoreKept = false;
  const info = await sessions.restoreConnection(connection.id);
  if (!info) {
    // Kept means the server could not be asked (offline, a fault): not a sign-in problem.
    if (restoreFailure && restoreKept) throw new AppError('network_error', restoreFailure);
    throw new AppError(
      'not_signed_in',
      restoreFailure
        ? `${restoreFailure} (connection “${connection.name}”: sign in to it in the app, then run this again.)`
        : `There is no saved sign-in for “${connection.name}” on this computer. Sign in to it once in the app (it keeps the sign-in in the keychain), then run this again.`,
    );
  }
  const engine = createSessionEngine({ sessions, userDataDir: options.userDataDir, logger: options.logger });
  return {
    engine,
    sessions,
    userDataDir: options.userDataDir,
    // The saved sign-in stays: the command line never signs the app out.
    end: async () => undefined,
  };
}
