/**
 * Runs the update policy over an updater (electron-updater's autoUpdater in the app, a fake in
 * tests): checks on start and every few hours, tells the user what the update is, and leaves
 * the restart to them. Nothing here imports Electron.
 */
import type { Logger } from '../logging/logger';
import type { UpdatePolicy } from './update-policy';

export interface UpdateInfoLike {
  version: string;
  releaseName?: string | null;
  releaseNotes?: string | Array<{ version: string; note: string | null }> | null;
}

/** The part of electron-updater's AppUpdater the console uses. */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<{ isUpdateAvailable: boolean; updateInfo: UpdateInfoLike } | null>;
  downloadUpdate(): Promise<unknown>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
}

export interface UpdateSummary {
  version: string;
  title: string;
  /** Release notes as plain text (the feed may carry HTML). */
  notes: string;
}

export interface UpdatePrompts {
  /** Per-machine installs: asks before downloading (installing will need an administrator). */
  confirmDownload(update: UpdateSummary): Promise<boolean>;
  /** Asks whether to restart now; `installOnQuit` says what "later" means. */
  confirmRestart(update: UpdateSummary, options: { installOnQuit: boolean }): Promise<boolean>;
}

export type UpdateStatus =
  | { state: 'off'; reason: string }
  | { state: 'idle' | 'checking' }
  | { state: 'available' | 'downloading' | 'ready'; version: string }
  | { state: 'error'; message: string };

export interface Timers {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface UpdateController {
  start(): void;
  /** A check the user asked for (Help → Check for Updates): asks again about a ready update. */
  checkNow(options?: { userAsked?: boolean }): Promise<UpdateStatus>;
  status(): UpdateStatus;
  stop(): void;
}

function plainText(html: string): string {
  return html
    .replace(/<\/(p|li|h\d)>|<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function summarizeUpdate(info: UpdateInfoLike): UpdateSummary {
  const notes = Array.isArray(info.releaseNotes)
    ? info.releaseNotes.map((entry) => `${entry.version}: ${plainText(entry.note ?? '')}`).join('\n\n')
    : plainText(info.releaseNotes ?? '');
  return { version: info.version, title: info.releaseName?.trim() || `Version ${info.version}`, notes: notes.slice(0, 4000) };
}

export function createUpdateController(deps: {
  /** Called once, and only when updates are on. */
  updater: () => UpdaterLike | Promise<UpdaterLike>;
  policy: UpdatePolicy;
  prompts: UpdatePrompts;
  logger: Logger;
  timers?: Timers;
}): UpdateController {
  const { policy, prompts, logger } = deps;
  const timers: Timers = deps.timers ?? {
    setInterval: (callback, ms) => setInterval(callback, ms).unref(),
    clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
  };
  let status: UpdateStatus = policy.enabled ? { state: 'idle' } : { state: 'off', reason: policy.reason };
  let timer: unknown = null;
  let ready: UpdateSummary | null = null;
  let updater: UpdaterLike | null = null;

  // The updater is only created when updates are on: with them off, nothing reaches the network.
  const configured = async (): Promise<UpdaterLike> => {
    if (updater) return updater;
    if (!policy.enabled) throw new Error('updates are off');
    const created = await deps.updater();
    created.autoDownload = false;
    created.autoInstallOnAppQuit = policy.installOnQuit;
    created.allowDowngrade = false;
    if (policy.feedUrl) created.setFeedURL({ provider: 'generic', url: policy.feedUrl });
    updater = created;
    return created;
  };

  const askToRestart = async (update: UpdateSummary) => {
    if (!policy.enabled) return;
    const now = await prompts.confirmRestart(update, { installOnQuit: policy.installOnQuit });
    logger.info('update.restart-answer', { version: update.version, now });
    // Never silent: the installer shows its window (and, per machine, the administrator prompt).
    if (now) (await configured()).quitAndInstall(false, true);
  };

  const checkNow = async (options: { userAsked?: boolean } = {}): Promise<UpdateStatus> => {
    if (!policy.enabled) return status;
    if (status.state === 'checking' || status.state === 'downloading') return status;
    if (ready) {
      if (options.userAsked) await askToRestart(ready);
      return status;
    }
    status = { state: 'checking' };
    try {
      const result = await (await configured()).checkForUpdates();
      if (!result?.isUpdateAvailable) {
        status = { state: 'idle' };
        return status;
      }
      const update = summarizeUpdate(result.updateInfo);
      logger.info('update.available', { version: update.version });
      if (!policy.downloadWithoutAsking && !(await prompts.confirmDownload(update))) {
        status = { state: 'available', version: update.version };
        return status;
      }
      status = { state: 'downloading', version: update.version };
      await (await configured()).downloadUpdate();
      ready = update;
      status = { state: 'ready', version: update.version };
      logger.info('update.downloaded', { version: update.version });
      await askToRestart(update);
    } catch (error) {
      // The error's name only: its text may hold the feed's address or a path.
      logger.warn('update.failed', { error: (error as Error).name });
      status = { state: 'error', message: 'The update could not be checked or downloaded. The console will try again later.' };
    }
    return status;
  };

  return {
    start() {
      if (!policy.enabled || timer !== null) return;
      void checkNow();
      timer = timers.setInterval(() => void checkNow(), policy.checkEveryMs);
    },
    checkNow,
    status: () => status,
    stop() {
      if (timer !== null) timers.clearInterval(timer);
      timer = null;
    },
  };
}
