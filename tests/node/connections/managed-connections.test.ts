/**
 * The managed configuration over the real dispatcher and handlers: presets appear, a locked one
 * is refused through IPC (and its saved sign-in kept), the sandbox can be hidden, and a broken
 * file changes nothing and is reported.
 */
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ManagedConfigResult, parseManagedConfig } from '../../../main/config/load-managed-config';
import { presetConnectionId } from '../../../main/config/managed-connections';
import { createMainServices } from '../../../main/ipc/main-services';
import { createSenderPolicy } from '../../../main/ipc/sender-policy';
import { silentLogger } from '../../../main/logging/logger';
import { MemorySecretStore } from '../../../main/secrets/memory-secret-store';
import { TEST_ORIGIN, createDirectApi } from '../../support/ipc';

const CONFIG_PATH = '/etc/mso-admin-console/managed-config.json';
const production = {
  name: 'Riverbend production',
  baseUrl: 'https://medplum.riverbend.example/',
  projectId: 'riverbend-prod',
  signIn: { method: 'password', email: 'it-admin@riverbend.example' },
  mrnSystem: 'https://riverbend.example/mrn',
  isolationMode: 'membership-per-clinic',
  locked: true,
};
const staging = { ...production, name: 'Riverbend staging', baseUrl: 'https://staging.riverbend.example/', locked: false };

function managed(config: unknown): ManagedConfigResult {
  return parseManagedConfig(CONFIG_PATH, JSON.stringify(config, null, 2));
}

function startMain(managedConfig: ManagedConfigResult, userDataDir = mkdtempSync(path.join(tmpdir(), 'mso-managed-'))) {
  const secrets = new MemorySecretStore();
  const main = createMainServices({
    userDataDir,
    secrets,
    managedConfig,
    appInfo: () => ({ name: 'MSO Admin Console', version: '0.1.0', platform: 'linux', packaged: false, runtime: { electron: null, chrome: null, node: '22' } }),
    openExternal: async () => undefined,
    publishJobProgress: () => undefined,
    publishSessionEvent: () => undefined,
    senderPolicy: createSenderPolicy({ allowedOrigins: [TEST_ORIGIN] }),
    logger: silentLogger,
  });
  return { main, api: createDirectApi(main), secrets, userDataDir };
}

const lockedId = presetConnectionId('Riverbend production');
const unlockedId = presetConnectionId('Riverbend staging');

describe('managed connections', () => {
  it('lists the presets first, marked managed, next to the saved connections', async () => {
    const { api } = startMain(managed({ version: 1, connections: [production, staging] }));
    const listed = await api.listConnections();
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.value.connections.map((connection) => [connection.name, connection.managed?.locked ?? null])).toEqual([
      ['Riverbend production', true],
      ['Riverbend staging', false],
      ['Local sandbox', null],
    ]);
    expect(listed.value.connections[0]).toEqual(
      expect.objectContaining({ id: lockedId, baseUrl: production.baseUrl, projectId: 'riverbend-prod', isolationMode: 'membership-per-clinic' }),
    );
    const status = await api.getManagedConfig();
    expect(status).toEqual({
      ok: true,
      value: { status: 'applied', path: CONFIG_PATH, problems: [], hideLocalSandbox: false, updatesEnabled: true },
    });
  });

  it('refuses to edit or remove a locked connection through IPC, and keeps its saved sign-in', async () => {
    const { main, api, secrets, userDataDir } = startMain(managed({ version: 1, connections: [production] }));
    await secrets.set(lockedId, 'refresh-token', 'refresh-token-value');
    const edit = await api.saveConnection({
      connection: { id: lockedId, name: 'Renamed', baseUrl: 'https://elsewhere.example/', signIn: { method: 'password' }, mrnSystem: 'https://x.example/mrn', isolationMode: 'shared-membership' },
    });
    expect(edit).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden', message: expect.stringContaining('locked by your organization') }) });
    const removal = await api.removeConnection({ connectionId: lockedId });
    expect(removal).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden' }) });
    expect(await secrets.get(lockedId, 'refresh-token')).toBe('refresh-token-value');
    const after = await main.connections.get(lockedId);
    expect(after).toEqual(expect.objectContaining({ name: 'Riverbend production', baseUrl: production.baseUrl, managed: { locked: true } }));
    // Nothing of the locked preset was written to the user's own file.
    expect(await readFile(path.join(userDataDir, 'connections.json'), 'utf8')).not.toContain(lockedId);
    // The store refuses too, so no other caller in main can get around it.
    await expect(main.connections.remove(lockedId)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('lets the user edit or remove an unlocked preset, and a removed one stays removed after a restart', async () => {
    const config = managed({ version: 1, connections: [production, staging] });
    const { api, userDataDir } = startMain(config);
    const edited = await api.saveConnection({
      connection: { id: unlockedId, name: 'Staging (mine)', baseUrl: staging.baseUrl, signIn: { method: 'password' }, mrnSystem: staging.mrnSystem, isolationMode: 'shared-membership' },
    });
    expect(edited).toEqual({ ok: true, value: expect.objectContaining({ id: unlockedId, name: 'Staging (mine)', managed: { locked: false } }) });
    const restarted = startMain(config, userDataDir);
    const names = async (target: typeof restarted) => {
      const listed = await target.api.listConnections();
      return listed.ok ? listed.value.connections.map((connection) => connection.name) : [];
    };
    expect(await names(restarted)).toEqual(['Riverbend production', 'Staging (mine)', 'Local sandbox']);
    expect(await restarted.api.removeConnection({ connectionId: unlockedId })).toEqual({ ok: true, value: { removed: true } });
    expect(await names(startMain(config, userDataDir))).toEqual(['Riverbend production', 'Local sandbox']);
  });

  it('hides the local sandbox: not listed, not openable, not addable', async () => {
    const { main, api } = startMain(managed({ version: 1, hideLocalSandbox: true, connections: [production] }));
    const listed = await api.listConnections();
    expect(listed.ok && listed.value.connections.map((connection) => connection.name)).toEqual(['Riverbend production']);
    const hiddenSandbox = (await main.connections['load']()).connections.find((connection) => connection.signIn.method === 'local-sandbox');
    expect(hiddenSandbox).toBeDefined();
    const signIn = await api.signIn({ connectionId: hiddenSandbox?.id as string, credentials: { method: 'local-sandbox' } });
    expect(signIn).toEqual({ ok: false, error: expect.objectContaining({ code: 'not_found' }) });
    const added = await api.saveConnection({
      connection: { name: 'My sandbox', baseUrl: 'http://127.0.0.1/', signIn: { method: 'local-sandbox' }, mrnSystem: 'https://x.example/mrn', isolationMode: 'shared-membership' },
    });
    expect(added).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden', message: expect.stringContaining('turned off the local sandbox') }) });
    const status = await api.getManagedConfig();
    expect(status.ok && status.value.hideLocalSandbox).toBe(true);
  });

  it('a malformed file changes nothing (no preset, sandbox shown, updates on) and is reported', async () => {
    const broken = managed({ version: 1, hideLocalSandbox: true, updates: { enabled: false }, connections: [{ ...production, clientSecret: 'do-not-preset-me' }] });
    const { api } = startMain(broken);
    const listed = await api.listConnections();
    expect(listed.ok && listed.value.connections.map((connection) => connection.name)).toEqual(['Local sandbox']);
    const status = await api.getManagedConfig();
    expect(status).toEqual({
      ok: true,
      value: {
        status: 'invalid',
        path: CONFIG_PATH,
        problems: [expect.stringMatching(/^connections\[0\] \(line \d+, column \d+\): unknown setting “clientSecret”/)],
        hideLocalSandbox: false,
        updatesEnabled: true,
      },
    });
    expect(JSON.stringify(status)).not.toContain('do-not-preset-me');
  });
});
