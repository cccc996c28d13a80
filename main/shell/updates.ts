/**
 * Wires electron-updater to the update policy: native dialogs say what the update is, and the
 * user decides when to download (per-machine installs) and when to restart. electron-updater is
 * loaded only when updates are on, so a machine where IT turned them off never contacts a feed.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { type BrowserWindow, app, dialog } from 'electron';
import type { ManagedConfig } from '../config/managed-config-schema';
import type { Logger } from '../logging/logger';
import { detectInstallScope, type InstallScope, selfUpdateBlocker } from '../updates/install-scope';
import { type UpdateController, type UpdatePrompts, type UpdateSummary, type UpdaterLike, createUpdateController } from '../updates/update-controller';
import { decideUpdatePolicy } from '../updates/update-policy';

export function currentInstallScope(): InstallScope {
  const exePath = app.getPath('exe');
  let canWriteInstallDir = true;
  try {
    accessSync(path.dirname(exePath), constants.W_OK);
  } catch {
    canWriteInstallDir = false;
  }
  return detectInstallScope({ platform: process.platform, exePath, env: process.env, canWriteInstallDir });
}

function describe(update: UpdateSummary): string {
  return update.notes ? `${update.title}\n\n${update.notes}` : update.title;
}

function dialogPrompts(window: () => BrowserWindow | undefined): UpdatePrompts {
  const ask = async (options: Electron.MessageBoxOptions) => {
    const parent = window();
    const { response } = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
    return response === 0;
  };
  return {
    confirmDownload: (update) =>
      ask({
        type: 'info',
        title: 'Update available',
        message: `MSO Admin Console ${update.version} is available.`,
        detail: `${describe(update)}\n\nThis copy is installed for everyone on this computer, so installing it needs an administrator.`,
        buttons: ['Download', 'Not now'],
        defaultId: 0,
        cancelId: 1,
      }),
    confirmRestart: (update, { installOnQuit }) =>
      ask({
        type: 'info',
        title: 'Update ready',
        message: `MSO Admin Console ${update.version} is ready to install.`,
        detail: `${describe(update)}\n\n${
          installOnQuit ? 'Restart now to install it, or it will be installed the next time you quit the console.' : 'Restart now to install it, or choose Later and install it from Help → Check for Updates.'
        } Work in progress, such as an import, should finish first.`,
        buttons: ['Restart now', 'Later'],
        defaultId: 1,
        cancelId: 1,
      }),
  };
}

export function startUpdates(options: { updates: ManagedConfig['updates']; logger: Logger; window: () => BrowserWindow | undefined }): {
  controller: UpdateController;
  installScope: InstallScope;
} {
  const installScope = currentInstallScope();
  const policy = decideUpdatePolicy({
    packaged: app.isPackaged,
    updates: options.updates,
    installScope,
    hasBuiltInFeed: typeof process.resourcesPath === 'string' && existsSync(path.join(process.resourcesPath, 'app-update.yml')),
    selfUpdateBlocker: selfUpdateBlocker({
      platform: process.platform,
      exePath: app.getPath('exe'),
      productName: 'MSO Admin Console',
      env: process.env,
      resourcesPath: process.resourcesPath ?? '',
      exists: existsSync,
    }),
  });
  options.logger.info('update.policy', { enabled: policy.enabled, installScope, ...(policy.enabled ? {} : { reason: policy.reason }) });
  const controller = createUpdateController({
    policy,
    logger: options.logger,
    prompts: dialogPrompts(options.window),
    // Imported here, not at the top: only a console with updates on loads it.
    updater: async () => {
      const { autoUpdater } = await import('electron-updater');
      autoUpdater.logger = null;
      return autoUpdater as unknown as UpdaterLike;
    },
  });
  controller.start();
  return { controller, installScope };
}
