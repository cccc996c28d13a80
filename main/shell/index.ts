/**
 * The Electron main process: app lifecycle only. Everything that decides anything lives in
 * plain modules under main/ and is wired here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BrowserWindow, Menu, app, ipcMain, session, shell } from 'electron';
import { type JobProgress, type MenuCommand, wireEventChannel } from '../../preload/api/contract';
import { loadManagedConfigSync, managedConfigInForce } from '../config/load-managed-config';
import { managedConfigPath } from '../config/managed-config-path';
import { createMainServices } from '../ipc/main-services';
import { createSenderPolicy } from '../ipc/sender-policy';
import { createRotatingFileSink } from '../logging/file-sink';
import { createLogger, jsonLineSink } from '../logging/logger';
import { KeytarSecretStore } from '../secrets/keytar-secret-store';
import { APP_ORIGIN } from '../security/app-protocol';
import { contentSecurityPolicy, developmentContentSecurityPolicy } from '../security/content-security-policy';
import { isSafeExternalUrl, isSafeSignInUrl } from '../security/external-url';
import { createMainWindowOptions } from '../security/window-options';
import { guardSession, guardWebContents } from '../security/web-contents-guard';
import { registerAppSchemeAsPrivileged, serveAppProtocol } from './app-protocol';
import { exportDiagnostics } from './diagnostics';
import { createImportDialogs } from './import-dialogs';
import { registerIpcHandlers } from './ipc-bridge';
import { createMenuTemplate } from './menu-template';
import { startUpdates } from './updates';

const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const appOrigins = devServerUrl ? [APP_ORIGIN, devServerUrl] : [APP_ORIGIN];
// The log file lives where each OS keeps logs (app.getPath('logs')), rotated by size.
const logFile = createRotatingFileSink({ dir: app.getPath('logs') });
const toStdout = jsonLineSink((line) => process.stdout.write(line));
const logger = createLogger((record) => {
  toStdout(record);
  logFile.write(record);
});
const windows = new Set<BrowserWindow>();

// IT's managed configuration is read once, before anything uses a connection; a bad file is
// logged, shown in Connections and the diagnostics, and nothing of it applies.
const managedConfig = loadManagedConfigSync(managedConfigPath(process.platform, process.env), (file) => readFileSync(file, 'utf8'));
if (managedConfig.status === 'invalid') {
  logger.warn('managed-config.invalid', { path: managedConfig.path, problems: managedConfig.problems.join(' | ') });
} else {
  logger.info('managed-config.loaded', { path: managedConfig.path, status: managedConfig.status });
}

const openExternal = async (url: string) => {
  if (isSafeExternalUrl(url)) await shell.openExternal(url);
};

// Browser sign-in may open a loopback http server's page (a local Medplum); nothing else plain.
const openSignInPage = async (url: string) => {
  if (!isSafeSignInUrl(url)) throw new Error('not a sign-in page the console opens');
  await shell.openExternal(url);
};

function broadcast(wireChannel: string, payload: unknown): void {
  for (const window of windows) window.webContents.send(wireChannel, payload);
}

const appInfo = () => ({
  name: app.getName(),
  version: app.getVersion(),
  platform: process.platform,
  packaged: app.isPackaged,
  runtime: { electron: process.versions.electron ?? null, chrome: process.versions.chrome ?? null, node: process.versions.node },
});

const services = createMainServices({
  appInfo,
  openExternal,
  openBrowser: openSignInPage,
  publishJobProgress: (progress: JobProgress) => broadcast(wireEventChannel('jobProgress'), progress),
  publishSessionEvent: (event) => broadcast(wireEventChannel('sessionChanged'), event),
  userDataDir: app.getPath('userData'),
  secrets: new KeytarSecretStore(),
  senderPolicy: createSenderPolicy({
    allowedOrigins: appOrigins,
    trustedWebContentsIds: () => new Set([...windows].map((window) => window.webContents.id)),
  }),
  logger,
  managedConfig,
  importDialogs: createImportDialogs(() => [...windows][0]),
});

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow(
    createMainWindowOptions({ preloadPath: path.join(__dirname, '../preload/index.js'), packaged: app.isPackaged }),
  );
  windows.add(window);
  window.on('ready-to-show', () => window.show());
  window.on('closed', () => windows.delete(window));
  void window.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
  return window;
}

function sendMenuCommand(command: MenuCommand): void {
  broadcast(wireEventChannel('menuCommand'), { command });
}

registerAppSchemeAsPrivileged();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = windows;
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    } else if (app.isReady()) {
      // The window was closed while a job (an import) went on: opening the app again shows it.
      createMainWindow();
    }
  });

  // Every web contents, including any the app did not create itself, gets the same guard.
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, { appOrigins, packaged: app.isPackaged, openExternal, logger });
  });

  void app.whenReady().then(() => {
    guardSession(session.defaultSession, devServerUrl ? developmentContentSecurityPolicy : contentSecurityPolicy);
    serveAppProtocol(path.join(__dirname, '../renderer'));
    registerIpcHandlers(ipcMain, services.dispatcher);
    const firstWindow = () => [...windows][0];
    const updates = startUpdates({ updates: managedConfigInForce(managedConfig).updates, logger, window: firstWindow });
    const onExportDiagnostics = () =>
      void exportDiagnostics({
        window: firstWindow(),
        logger,
        gather: async () => ({
          appInfo: appInfo(),
          installScope: updates.installScope,
          connections: await services.connections.list(),
          managedConfig,
          updates: updates.controller.status(),
          recentLog: logFile.recent(512 * 1024),
        }),
      });
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        createMenuTemplate({
          platform: process.platform,
          appName: 'MSO Admin Console',
          packaged: app.isPackaged,
          send: sendMenuCommand,
          openHelp: () => void openExternal('https://www.medplum.com/docs'),
          exportDiagnostics: onExportDiagnostics,
          ...(updates.controller.status().state === 'off' ? {} : { checkForUpdates: () => void updates.controller.checkNow({ userAsked: true }) }),
        }),
      ),
    );
    createMainWindow();
    app.on('activate', () => {
      if (windows.size === 0) createMainWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform === 'darwin') return;
    // A running job (an import) finishes first, with no window; the app quits when none is left.
    const quitWhenIdle = () => {
      if (windows.size > 0) return;
      if (services.jobs.list().length > 0) setTimeout(quitWhenIdle, 1000);
      else app.quit();
    };
    quitWhenIdle();
  });

  // The sandbox writes its data file when it stops; give it the chance before quitting.
  let sandboxStopped = false;
  app.on('will-quit', (event) => {
    if (sandboxStopped) return;
    event.preventDefault();
    void services.sandbox.stop().finally(() => {
      sandboxStopped = true;
      app.quit();
    });
  });
}
