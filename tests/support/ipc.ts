/** Test helpers for the IPC layer: a trusted sender and a dispatcher over the real handlers. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JobProgress } from '../../preload/api/contract';
import type { SessionEvent } from '../../preload/api/schemas/connection';
import { MemorySecretStore } from '../../main/secrets/memory-secret-store';
import type { SecretStore } from '../../main/secrets/secret-store';
import type { SandboxLauncher } from '../../main/session/sandbox-launcher';
import { createApi, type IpcTransport, type MsoApi } from '../../preload/api/create-api';
import { type MainServices, createMainServices } from '../../main/ipc/main-services';
import { type SenderInfo, createSenderPolicy } from '../../main/ipc/sender-policy';
import { type LogRecord, createLogger } from '../../main/logging/logger';
import type { ImportDialogs } from '../../main/ipc/import-handlers';

export const TEST_ORIGIN = 'app://mso';
export const trustedSender: SenderInfo = { webContentsId: 1, frameUrl: `${TEST_ORIGIN}/index.html`, isMainFrame: true };

type Listener = (payload: unknown) => void;

export interface TestMain extends MainServices {
  /** Event listeners of the API objects built over this main (createDirectApi). */
  listeners: Map<string, Set<Listener>>;
  logs: LogRecord[];
  progress: JobProgress[];
  sessionEvents: SessionEvent[];
  opened: string[];
  userDataDir: string;
  secrets: SecretStore;
}

export interface TestMainOptions {
  secrets?: SecretStore;
  sandbox?: SandboxLauncher;
  userDataDir?: string;
  openBrowser?: (url: string) => Promise<void>;
  refreshGracePeriodMs?: number;
  /** Main's fetch (sign-in, restore, connection test): lets a test hold or watch requests. */
  fetch?: typeof fetch;
  /** Browser sign-in's loopback port; by default any free one, so test files can run side by side. */
  loopbackPort?: number;
  /** The import wizard's open and save dialogs (a fake that answers with chosen paths). */
  importDialogs?: ImportDialogs;
}

export function createTestMain(options: TestMainOptions = {}): TestMain {
  const logs: LogRecord[] = [];
  const progress: JobProgress[] = [];
  const sessionEvents: SessionEvent[] = [];
  const opened: string[] = [];
  const userDataDir = options.userDataDir ?? mkdtempSync(path.join(tmpdir(), 'mso-test-'));
  const listeners = new Map<string, Set<Listener>>();
  const emit = (wireChannel: string, payload: unknown) => {
    for (const listener of listeners.get(wireChannel) ?? []) listener(payload);
  };
  const secrets = options.secrets ?? new MemorySecretStore();
  const services = createMainServices({
    userDataDir,
    secrets,
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    ...(options.openBrowser ? { openBrowser: options.openBrowser } : {}),
    ...(options.refreshGracePeriodMs !== undefined ? { refreshGracePeriodMs: options.refreshGracePeriodMs } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    loopbackPort: options.loopbackPort ?? 0,
    ...(options.importDialogs ? { importDialogs: options.importDialogs } : {}),
    publishSessionEvent: (event) => {
      sessionEvents.push(event);
      emit('mso:event:sessionChanged', event);
    },
    appInfo: () => ({
      name: 'MSO Admin Console',
      version: '0.1.0-test',
      platform: process.platform,
      packaged: false,
      runtime: { electron: null, chrome: null, node: process.versions.node },
    }),
    openExternal: async (url) => {
      opened.push(url);
    },
    publishJobProgress: (event) => {
      progress.push(event);
      emit('mso:event:jobProgress', event);
    },
    senderPolicy: createSenderPolicy({ allowedOrigins: [TEST_ORIGIN] }),
    logger: createLogger((record) => logs.push(record)),
  });
  return { ...services, listeners, logs, progress, sessionEvents, opened, userDataDir, secrets };
}

/** The renderer's API object wired straight to main's dispatcher, as a trusted window would be. */
export function createDirectApi(main: MainServices & { listeners?: Map<string, Set<Listener>> }, sender: SenderInfo = trustedSender): MsoApi {
  const listeners = main.listeners ?? new Map<string, Set<Listener>>();
  const transport: IpcTransport = {
    invoke: (wireChannel, request) => main.dispatcher.dispatch(wireChannel.replace(/^mso:invoke:/, ''), sender, request),
    subscribe: (wireChannel, listener) => {
      const set = listeners.get(wireChannel) ?? new Set();
      set.add(listener);
      listeners.set(wireChannel, set);
      return () => set.delete(listener);
    },
  };
  return createApi(transport);
}

/** Sends an event from "main" to every API object built over this test main, as the window would get it. */
export function emitEvent(main: TestMain, wireChannel: string, payload: unknown): void {
  for (const listener of main.listeners.get(wireChannel) ?? []) listener(payload);
}

/** Saves a password connection to the backend's project and signs in to it through the API. */
export async function signInOverIpc(
  api: MsoApi,
  server: { baseUrl: string; projectId: string; mrnSystem: string },
  credentials: { email: string; password: string },
  name = 'Test',
): Promise<{ connectionId: string }> {
  const saved = await api.saveConnection({
    connection: { name, baseUrl: server.baseUrl, projectId: server.projectId, mrnSystem: server.mrnSystem, isolationMode: 'shared-membership', signIn: { method: 'password' } },
  });
  if (!saved.ok) throw new Error(`saveConnection: ${saved.error.code}`);
  const signedIn = await api.signIn({ connectionId: saved.value.id, credentials: { method: 'password', email: credentials.email, password: credentials.password } });
  if (!signedIn.ok) throw new Error(`signIn: ${signedIn.error.code}: ${signedIn.error.message}`);
  return { connectionId: saved.value.id };
}
