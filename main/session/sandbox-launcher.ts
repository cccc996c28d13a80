/**
 * Starts the embedded local server for the "Local sandbox" connection, once, with its data kept
 * in a file in the user-data folder. Its admin password is made anew at every start and lives
 * only in memory.
 */
import { type LocalServer, type LocalServerOptions, startLocalServer } from '../local-server/server';

export interface SandboxInfo {
  baseUrl: string;
  projectId: string;
  admin: { email: string; password: string };
}

export interface SandboxLauncher {
  ensureStarted(): Promise<SandboxInfo>;
  stop(): Promise<void>;
}

export function createSandboxLauncher(options: { dataFile?: string; server?: LocalServerOptions }): SandboxLauncher {
  let server: Promise<LocalServer> | null = null;
  return {
    async ensureStarted() {
      server ??= startLocalServer({ seed: 'demo', ...(options.dataFile ? { data: options.dataFile } : {}), ...options.server });
      const running = await server;
      return { baseUrl: running.baseUrl, projectId: running.projectId, admin: running.admin };
    },
    async stop() {
      if (server) await (await server).stop();
      server = null;
    },
  };
}
