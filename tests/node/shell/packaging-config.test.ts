import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

describe('electron-builder configuration', () => {
  it('flips the security fuses and ships only the built app in an asar', async () => {
    const config = parse(await readFile('electron-builder.yml', 'utf8'));
    expect(config.electronFuses).toEqual(
      expect.objectContaining({
        runAsNode: false,
        enableNodeOptionsEnvironmentVariable: false,
        enableNodeCliInspectArguments: false,
        enableEmbeddedAsarIntegrityValidation: true,
        onlyLoadAppFromAsar: true,
        grantFileProtocolExtraPrivileges: false,
      }),
    );
    expect(config.asar).toBe(true);
    expect(config.files).toEqual(expect.arrayContaining(['out/**/*', 'package.json']));
    expect(config.mac.hardenedRuntime).toBe(true);
    // Signing credentials come from the build machine's environment, never from this file.
    expect(JSON.stringify(config)).not.toMatch(/"(csc\w*|\w*password|certificateFile|certificatePassword)":/i);
  });

  it("passes electron-builder's own schema, so a misspelt option fails here and not on the build machine", async () => {
    const { validateConfiguration } = await import('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = await import('builder-util');
    const config = parse(await readFile('electron-builder.yml', 'utf8'));
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, win: { ...config.win, signingPassword: 'x' } }, new DebugLogger(false))).rejects.toThrow();
  });

  it('builds installers for all three platforms', async () => {
    const config = parse(await readFile('electron-builder.yml', 'utf8'));
    expect(config.mac.target.length).toBeGreaterThan(0);
    expect(config.win.target.length).toBeGreaterThan(0);
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
  });
});
