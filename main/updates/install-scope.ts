/**
 * Whether this copy of the console was installed for one user or for the whole machine. A
 * per-machine install needs an administrator to update it, so it is never updated silently.
 * Everything is an argument, so each OS's rule is tested here.
 */
import path from 'node:path';

export type InstallScope = 'per-user' | 'per-machine';

export interface InstallFacts {
  platform: NodeJS.Platform;
  /** The running executable (process.execPath / app.getPath('exe')). */
  exePath: string;
  env: Record<string, string | undefined>;
  /** Whether the current user can write the folder the app is installed in. */
  canWriteInstallDir: boolean;
}

function isInside(child: string, parent: string | undefined, pathApi: typeof path.win32 | typeof path.posix): boolean {
  if (!parent) return false;
  const relative = pathApi.relative(parent.toLowerCase(), child.toLowerCase());
  return relative !== '' && !relative.startsWith('..') && !pathApi.isAbsolute(relative);
}

/**
 * NSIS puts its uninstaller beside the executable; the MSI does not (Windows Installer keeps
 * its own). So on Windows a missing uninstaller means the copy came from the MSI.
 */
export function isMsiInstall(facts: { platform: NodeJS.Platform; exePath: string; productName: string; exists: (file: string) => boolean }): boolean {
  if (facts.platform !== 'win32') return false;
  return !facts.exists(path.win32.join(path.win32.dirname(facts.exePath), `Uninstall ${facts.productName}.exe`));
}

/**
 * Why this copy cannot update itself, or null when electron-updater can: the MSI (its updater
 * installs NSIS builds, which would put a second copy beside the MSI's) and the tar.gz (no
 * installer at all; electron-updater recognises the AppImage and the deb by APPIMAGE and
 * resources/package-type).
 */
export function selfUpdateBlocker(facts: {
  platform: NodeJS.Platform;
  exePath: string;
  productName: string;
  env: Record<string, string | undefined>;
  resourcesPath: string;
  exists: (file: string) => boolean;
}): string | null {
  if (isMsiInstall(facts)) return 'This copy was installed from the MSI; your IT team updates it by deploying the next MSI.';
  if (facts.platform === 'linux' && !facts.env.APPIMAGE && !facts.exists(path.posix.join(facts.resourcesPath, 'package-type'))) {
    return 'This copy was unpacked from the tar.gz; install the new tar.gz, the deb or the AppImage to update it.';
  }
  return null;
}

export function detectInstallScope(facts: InstallFacts): InstallScope {
  const { platform, exePath, env } = facts;
  if (platform === 'win32') {
    // NSIS "for anyone who uses this computer" and the MSI install under Program Files.
    const programFolders = [env.ProgramFiles, env['ProgramFiles(x86)'], env.ProgramW6432];
    if (programFolders.some((folder) => isInside(exePath, folder, path.win32))) return 'per-machine';
    return facts.canWriteInstallDir ? 'per-user' : 'per-machine';
  }
  if (platform === 'linux') {
    // An AppImage belongs to the user who downloaded it; the deb is installed by root in /opt.
    if (env.APPIMAGE) return 'per-user';
    return facts.canWriteInstallDir ? 'per-user' : 'per-machine';
  }
  return facts.canWriteInstallDir ? 'per-user' : 'per-machine';
}
