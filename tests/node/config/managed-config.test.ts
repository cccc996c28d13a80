import { mkdtemp, writeFile, readFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManagedConfig, managedConfigInForce, parseManagedConfig } from '../../../main/config/load-managed-config';
import { managedConfigPath } from '../../../main/config/managed-config-path';
import { NO_MANAGED_CONFIG } from '../../../main/config/managed-config-schema';
import { connectionPolicyOf, presetConnectionId } from '../../../main/config/managed-connections';

const valid = {
  version: 1,
  hideLocalSandbox: true,
  updates: { enabled: false },
  connections: [
    {
      name: 'Riverbend production',
      baseUrl: 'https://medplum.riverbend.example',
      projectId: 'riverbend-prod',
      signIn: { method: 'authorization-code', clientId: 'console-client' },
      mrnSystem: 'https://riverbend.example/mrn',
      isolationMode: 'membership-per-clinic',
      locked: true,
    },
    {
      name: 'Riverbend staging',
      baseUrl: 'https://staging.riverbend.example/',
      signIn: { method: 'password' },
      mrnSystem: 'https://riverbend.example/mrn',
      isolationMode: 'shared-membership',
    },
  ],
};

const text = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

describe('where the managed configuration lives', () => {
  it('is a machine-wide folder on each OS', () => {
    expect(managedConfigPath('linux', {})).toBe('/etc/mso-admin-console/managed-config.json');
    expect(managedConfigPath('darwin', {})).toBe('/Library/Application Support/MSO Admin Console/managed-config.json');
    expect(managedConfigPath('win32', { ProgramData: 'D:\\ProgramData' })).toBe('D:\\ProgramData\\MSO Admin Console\\managed-config.json');
    expect(managedConfigPath('win32', {})).toBe('C:\\ProgramData\\MSO Admin Console\\managed-config.json');
  });
});

describe('reading the managed configuration', () => {
  it('applies a valid file, with defaults for what it leaves out', () => {
    const result = parseManagedConfig('/etc/x.json', text({ version: 1, connections: [valid.connections[1]] }));
    expect(result.status).toBe('applied');
    const config = managedConfigInForce(result);
    expect(config.hideLocalSandbox).toBe(false);
    expect(config.updates).toEqual({ enabled: true });
    expect(config.connections[0]).toEqual(expect.objectContaining({ baseUrl: 'https://staging.riverbend.example/', locked: false }));
  });

  it('turns presets into connections with stable ids, locked where IT says so', () => {
    const policy = connectionPolicyOf(managedConfigInForce(parseManagedConfig('/x', text(valid))));
    expect(policy.hideLocalSandbox).toBe(true);
    expect(policy.presets.map((preset) => [preset.name, preset.managed])).toEqual([
      ['Riverbend production', { locked: true }],
      ['Riverbend staging', { locked: false }],
    ]);
    expect(policy.presets[0]?.id).toBe(presetConnectionId('Riverbend production'));
    expect(presetConnectionId('Riverbend production')).toBe(presetConnectionId(' riverbend PRODUCTION '));
    expect(presetConnectionId('Riverbend production')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(presetConnectionId('Riverbend production')).not.toBe(presetConnectionId('Riverbend staging'));
  });

  it('reports a file that is not JSON with its line, and applies nothing of it', () => {
    const broken = '{\n  "version": 1,\n  "hideLocalSandbox": true,\n  "connections": [\n    { "name": "x", }\n  ]\n}\n';
    const result = parseManagedConfig('/etc/mso-admin-console/managed-config.json', broken);
    expect(result.status).toBe('invalid');
    if (result.status !== 'invalid') return;
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(/^The file cannot be read as JSON at line 5, column \d+: it is not valid JSON\.$/);
    expect(managedConfigInForce(result)).toEqual(NO_MANAGED_CONFIG);
  });

  it('reports a truncated file plainly', () => {
    const result = parseManagedConfig('/x', '{ "version": 1, "connections": [');
    expect(result.status === 'invalid' && result.problems[0]).toMatch(/ends too early/);
  });

  it('refuses a secret or a misspelt setting anywhere, naming it and its line, so nothing is half-applied', () => {
    const withSecret = structuredClone(valid) as Record<string, unknown> & { connections: Record<string, unknown>[] };
    (withSecret.connections[1] as Record<string, unknown>).password = 'hunter2';
    withSecret.hideLocalSandox = true;
    const source = text(withSecret);
    const result = parseManagedConfig('/x', source);
    expect(result.status).toBe('invalid');
    if (result.status !== 'invalid') return;
    const passwordLine = source.split('\n').findIndex((line) => line.includes('"password": ')) + 1;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^connections\\[1\\] \\(line ${passwordLine}, column \\d+\\): unknown setting “password”`)),
        expect.stringMatching(/^the file \(line \d+, column \d+\): unknown setting “hideLocalSandox”/),
      ]),
    );
    // The secret's value is never repeated in the report.
    expect(result.problems.join(' ')).not.toContain('hunter2');
    expect(managedConfigInForce(result)).toEqual(NO_MANAGED_CONFIG);
  });

  it('names each invalid value with its place: plain http to a remote server, a missing field, a wrong type, a duplicate', () => {
    const bad = structuredClone(valid);
    bad.connections[0] = { ...bad.connections[0], baseUrl: 'http://medplum.riverbend.example/' } as (typeof bad.connections)[number];
    delete (bad.connections[1] as Partial<(typeof bad.connections)[number]>).mrnSystem;
    (bad as Record<string, unknown>).hideLocalSandbox = 'yes';
    const source = text(bad);
    const result = parseManagedConfig('/x', source);
    expect(result.status).toBe('invalid');
    if (result.status !== 'invalid') return;
    const urlLine = source.split('\n').findIndex((line) => line.includes('http://medplum')) + 1;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^connections\\[0\\]\\.baseUrl \\(line ${urlLine}, column \\d+\\): must be an https:// address`)),
        expect.stringMatching(/^connections\[1\]\.mrnSystem \(line \d+, column \d+\): is required\.$/),
        expect.stringMatching(/^hideLocalSandbox \(line \d+, column \d+\): invalid input: expected boolean, received string\.$/),
      ]),
    );
    const missing = parseManagedConfig('/x', text({ version: 1, connections: [{ name: 'Only a name' }] }));
    expect(missing.status === 'invalid' && missing.problems).toEqual([
      expect.stringMatching(/^connections\[0\]\.baseUrl \(line 4, column 5\): is required\.$/),
      expect.stringMatching(/^connections\[0\]\.signIn .*: is required\.$/),
      expect.stringMatching(/^connections\[0\]\.mrnSystem .*: is required\.$/),
      expect.stringMatching(/^connections\[0\]\.isolationMode .*: is required\.$/),
    ]);
    const duplicate = parseManagedConfig('/x', text({ version: 1, connections: [valid.connections[1], valid.connections[1]] }));
    expect(duplicate.status === 'invalid' && duplicate.problems).toEqual([expect.stringContaining('two connections with the same name')]);
    const sandbox = parseManagedConfig('/x', text({ version: 1, connections: [{ ...valid.connections[1], signIn: { method: 'local-sandbox' } }] }));
    expect(sandbox.status).toBe('invalid');
    const plainUpdates = parseManagedConfig('/x', text({ version: 1, updates: { url: 'http://updates.example/' } }));
    expect(plainUpdates.status === 'invalid' && plainUpdates.problems[0]).toMatch(/^updates\.url .*https/);
  });

  it('reads the file from disk: none when absent, a plain report when unreadable', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'mso-managed-'));
    const file = path.join(dir, 'managed-config.json');
    const read = (target: string) => readFile(target, 'utf8');
    await expect(loadManagedConfig(file, read)).resolves.toEqual({ status: 'none', path: file });
    await writeFile(file, `\uFEFF${text(valid)}`);
    await expect(loadManagedConfig(file, read)).resolves.toEqual(expect.objectContaining({ status: 'applied' }));
    const denied = Object.assign(new Error('no'), { code: 'EACCES' });
    await expect(loadManagedConfig(file, () => Promise.reject(denied))).resolves.toEqual({
      status: 'invalid',
      path: file,
      problems: ['The file could not be read (EACCES).'],
    });
    await chmod(file, 0o644);
  });
});
