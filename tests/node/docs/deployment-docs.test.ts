/**
 * The packaging and IT deployment pages against what is installed: every electron-builder option
 * they name is in electron-builder's own schema, every electron-updater property or method is in
 * its types, the installer command-line switches are in electron-builder's installer templates,
 * and the managed-configuration example is one the console accepts.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseManagedConfig } from '../../../main/config/load-managed-config';

const root = path.resolve(__dirname, '../../..');
const read = (file: string) => readFile(path.join(root, file), 'utf8');
let docs: string;
let schema: { properties: Record<string, unknown>; definitions: Record<string, { properties?: Record<string, unknown> }> };

beforeAll(async () => {
  docs = (await read('docs/packaging.md')) + (await read('docs/it-deployment.md'));
  schema = JSON.parse(await read('node_modules/app-builder-lib/scheme.json'));
});

const sections: Record<string, string> = {
  mac: 'MacConfiguration',
  win: 'WindowsConfiguration',
  nsis: 'NsisOptions',
  msi: 'MsiOptions',
  linux: 'LinuxConfiguration',
  deb: 'DebOptions',
};

describe('docs/packaging.md and docs/it-deployment.md', () => {
  it("name only electron-builder options that exist in electron-builder's schema", () => {
    const named = [...docs.matchAll(/`(mac|win|nsis|msi|linux|deb)\.(\w+)`/g)].map((match) => [match[1] as string, match[2] as string] as const);
    expect(named.length).toBeGreaterThan(12);
    for (const [section, option] of named) {
      expect(Object.keys(schema.definitions[sections[section] as string]?.properties ?? {}), `${section}.${option}`).toContain(option);
    }
    for (const option of ['artifactName', 'files', 'asarUnpack', 'npmRebuild', 'electronFuses', 'publish', 'electronDist']) {
      expect(docs).toContain(`\`${option}`);
      expect(Object.keys(schema.properties)).toContain(option);
    }
    const azure = /`win\.azureSignOptions` \(([^)]+)\)/.exec(docs)?.[1] ?? '';
    const azureOptions = [...azure.matchAll(/`(\w+)`/g)].map((match) => match[1]);
    expect(azureOptions).toEqual(['endpoint', 'codeSigningAccountName', 'certificateProfileName', 'publisherName']);
    for (const option of azureOptions) expect(Object.keys(schema.definitions.WindowsAzureSigningConfiguration?.properties ?? {})).toContain(option);
  });

  it("name only electron-updater properties and methods that are in its types", async () => {
    const types = (await read('node_modules/electron-updater/out/AppUpdater.d.ts')) + (await read('node_modules/electron-updater/out/BaseUpdater.d.ts'));
    const named = [...new Set([...docs.matchAll(/`autoUpdater\.(\w+)/g)].map((match) => match[1] as string))];
    expect(named).toEqual(expect.arrayContaining(['autoDownload', 'autoInstallOnAppQuit', 'allowDowngrade', 'downloadUpdate', 'setFeedURL', 'quitAndInstall']));
    for (const member of named) expect(types, member).toMatch(new RegExp(`\\b${member}[(:?]`));
    expect(types).toContain('quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;');
  });

  it("give installer switches that electron-builder's NSIS and MSI templates implement", async () => {
    const nsis = (await read('node_modules/app-builder-lib/templates/nsis/assistedInstaller.nsh')) + (await read('node_modules/app-builder-lib/templates/nsis/include/installer.nsh'));
    for (const flag of ['/allusers', '/currentuser']) expect(nsis).toContain(`"${flag}"`);
    expect(nsis).toContain('QuietUninstallString');
    const msi = await read('node_modules/app-builder-lib/templates/msi/template.xml');
    expect(docs).toContain('APPLICATIONFOLDER=');
    expect(msi).toContain('Directory Id="APPLICATIONFOLDER"');
    const upgradeCode = /upgrade code is\s+fixed \(`([0-9A-F-]+)`\)/.exec(docs)?.[1];
    expect((await read('electron-builder.yml')).includes(`upgradeCode: ${upgradeCode}`)).toBe(true);
  });

  it('show a managed configuration the console accepts', () => {
    const example = /## Managed configuration[\s\S]*?```json\n([\s\S]*?)```/.exec(docs)?.[1] ?? '';
    const result = parseManagedConfig('/etc/mso-admin-console/managed-config.json', example);
    expect(result.status === 'invalid' ? result.problems : []).toEqual([]);
    expect(result.status).toBe('applied');
  });
});
