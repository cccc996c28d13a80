/**
 * Where IT puts the managed configuration on each OS: a machine-wide folder that only an
 * administrator can write. Platform and environment are arguments so every OS is testable here.
 */
import path from 'node:path';

export const MANAGED_CONFIG_FILE_NAME = 'managed-config.json';

export function managedConfigPath(platform: NodeJS.Platform, env: Record<string, string | undefined>): string {
  switch (platform) {
    case 'win32':
      return path.win32.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'MSO Admin Console', MANAGED_CONFIG_FILE_NAME);
    case 'darwin':
      return path.posix.join('/Library/Application Support/MSO Admin Console', MANAGED_CONFIG_FILE_NAME);
    default:
      return path.posix.join('/etc/mso-admin-console', MANAGED_CONFIG_FILE_NAME);
  }
}
