/** Test helpers for the IPC layer: a trusted sender and a dispatcher over the real handlers. */
import type { JobProgress } from '../../preload/api/contract';
import { createApi, type IpcTransport, type MsoApi } from '../../preload/api/create-api';
import { type MainServices, createMainServices } from '../../main/ipc/main-services';
import { type SenderInfo, createSenderPolicy } from '../../main/ipc/sender-policy';
import { type LogRecord, createLogger } from '../../main/logging/logger';

export const TEST_ORIGIN = 'app://mso';
export const trustedSender: SenderInfo = { webContentsId: 1, frameUrl: `${TEST_ORIGIN}/index.html`, isMainFrame: true };

export interface TestMain extends MainServices {
  logs: LogRecord[];
  progress: JobProgress[];
  opened: string[];
}

export function createTestMain(): TestMain {
  const logs: LogRecord[] = [];
  const progress: JobProgress[] = [];
  const opened: string[] = [];
  const services = createMainServices({
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
    publishJobProgress: (event) => progress.push(event),
    senderPolicy: createSenderPolicy({ allowedOrigins: [TEST_ORIGIN] }),
    logger: createLogger((record) => logs.push(record)),
  });
  return { ...services, logs, progress, opened };
}

/** The renderer's API object wired straight to main's dispatcher, as a trusted window would be. */
export function createDirectApi(main: MainServices, sender: SenderInfo = trustedSender): MsoApi {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
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
