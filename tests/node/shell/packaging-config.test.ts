import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the configuration is checked by electron-builder's schema below
let config: any;

beforeAll(async () => {
  config = parse(await readFile('electron-builder.yml', 'utf8'));
});

async function validate(configuration: unknown): Promise<void> {
  const { validateConfiguration } = await import('app-builder-lib/out/util/config/config.js');
  const { DebugLogger } = await import('builder-util');
  await validateConfiguration(configuration as never, new DebugLogger(false));
}

describe('electron-builder configuration', () => {
  it("passes electron-builder's own schema, so a misspelt option fails here and not on the build machine", async () => {
    await expect(validate(config)).resolves.toBeUndefined();
    await expect(validate({ ...config, win: { ...config.win, signingPassword: 'x' } })).rejects.toThrow();
    await expect(validate({ ...config, nsis: { ...config.nsis, perMachne: true } })).rejects.toThrow();
  });

  it('also passes with the Azure Trusted Signing options the release workflow adds', async () => {
    const azureSignOptions = {
      endpoint: 'https://eus.codesigning.azure.net/',
      codeSigningAccountName: 'mso-signing',
      certificateProfileName: 'mso-public',
      publisherName: 'MSO Admin Console developers',
    };
    await expect(validate({ ...config, win: { ...config.win, azureSignOptions } })).resolves.toBeUndefined();
  });

  it('flips the security fuses and ships only the built app in an asar', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
    expect(config.asar).toBe(true);
    expect(config.files).toEqual(expect.arrayContaining(['out/main/**/*', 'out/preload/**/*', 'out/renderer/**/*', 'package.json']));
    expect(config.asarUnpack).toContain('**/*.node');
    // Signing credentials come from the build machine's environment, never from this file.
    expect(JSON.stringify(config)).not.toMatch(/"(csc\w*|\w*password|certificateFile|certificatePassword|\w*secret)":/i);
  });

  it('builds for all three platforms: dmg and zip on macOS (both architectures), NSIS and MSI, AppImage, deb and tar.gz', () => {
    const macTargets = config.mac.target.map((target: { target: string; arch: string[] }) => [target.target, target.arch]);
    expect(macTargets).toEqual([
      ['dmg', ['x64', 'arm64']],
      ['zip', ['x64', 'arm64']],
    ]);
    expect(config.mac).toEqual(expect.objectContaining({ hardenedRuntime: true, notarize: true, entitlements: 'build/entitlements.mac.plist' }));
    expect(config.win.target.map((target: { target: string }) => target.target)).toEqual(['nsis', 'msi']);
    expect(config.linux.target).toEqual(['AppImage', 'deb', 'tar.gz']);
  });

  it('installs per user by default with NSIS (per machine on request) and always per machine with a fixed upgrade code in the MSI', () => {
    expect(config.nsis).toEqual(expect.objectContaining({ oneClick: false, perMachine: false, selectPerMachineByDefault: false, allowElevation: true }));
    expect(config.msi.perMachine).toBe(true);
    expect(config.msi.upgradeCode).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
  });

  it('names every artifact with its version and architecture', () => {
    for (const name of [config.artifactName, config.nsis.artifactName, config.msi.artifactName]) {
      expect(name).toContain('${version}');
      expect(name).toContain('${arch}');
    }
  });

  it('publishes a generic update feed whose address the build machine gives', () => {
    expect(config.publish).toEqual({ provider: 'generic', url: '${env.MSO_UPDATE_URL}' });
  });

  it("keeps electron-builder's deb dependencies and adds libsecret for the keychain", () => {
    expect(config.deb.depends).toEqual(expect.arrayContaining(['libgtk-3-0', 'libnss3', 'libsecret-1-0']));
  });
});
