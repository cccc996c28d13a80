import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseManagedConfig } from '../../../main/config/load-managed-config';
import { buildDiagnosticsZip, diagnosticsFileName } from '../../../main/diagnostics/diagnostics-bundle';
import { createLogger, jsonLineSink } from '../../../main/logging/logger';

const now = new Date('2026-12-01T09:30:00Z');

function sampleLog(): string {
  let text = '';
  const logger = createLogger(jsonLineSink((line) => (text += line)), () => now);
  logger.info('app.started', { version: '0.1.0' });
  logger.warn('sign-in.failed', { status: 401, password: 'should-be-redacted-already' });
  // Lines the logger would never write, as if the file had been tampered with or written by something else.
  text += `${JSON.stringify({ time: now.toISOString(), level: 'info', event: 'raw', fields: { clientSecret: 'cs-live-123', who: 'jane.smith@clinic.example' } })}\n`;
  text += 'Authorization: Bearer eyJhbGciOi.raw-token-line\n';
  return text;
}

function build() {
  const managedConfig = parseManagedConfig(
    'C:\\ProgramData\\MSO Admin Console\\managed-config.json',
    JSON.stringify({
      version: 1,
      updates: { enabled: false },
      connections: [
        {
          name: 'Riverbend production',
          baseUrl: 'https://medplum.riverbend.example/',
          signIn: { method: 'password', email: 'it-admin@riverbend.example' },
          mrnSystem: 'https://riverbend.example/mrn',
          isolationMode: 'shared-membership',
          locked: true,
        },
      ],
    }),
  );
  const zip = buildDiagnosticsZip({
    now,
    appInfo: { name: 'MSO Admin Console', version: '0.1.0', platform: 'win32', packaged: true, runtime: { electron: '45.4.1', chrome: '142', node: '22.20.0' } },
    os: { platform: 'win32', release: '10.0.26100', arch: 'x64' },
    installScope: 'per-machine',
    connections: {
      activeConnectionId: null,
      connections: [
        {
          id: '2b5c1a2e-8f0e-4c55-9a57-6b1f0a8f1c11',
          name: 'Uptown staging',
          baseUrl: 'https://staging.uptown.example/',
          signIn: { method: 'password', email: 'ana.admin@uptown.example' },
          mrnSystem: 'https://uptown.example/mrn',
          isolationMode: 'shared-membership',
        },
        {
          id: '3b5c1a2e-8f0e-4c55-9a57-6b1f0a8f1c11',
          name: 'Uptown service',
          baseUrl: 'https://api.uptown.example/',
          signIn: { method: 'client-credentials', clientId: 'uptown-client' },
          mrnSystem: 'https://uptown.example/mrn',
          isolationMode: 'membership-per-clinic',
        },
      ],
    },
    managedConfig,
    updates: { state: 'off', reason: 'Updates are turned off by your IT team (managed configuration).' },
    recentLog: sampleLog(),
  });
  return unzipSync(zip);
}

describe('diagnostics zip', () => {
  it('holds versions, settings, the managed configuration in force and the recent log', () => {
    const files = build();
    expect(Object.keys(files).sort()).toEqual(['README.txt', 'logs/recent.log', 'managed-config.json', 'settings.json', 'versions.json']);
    const read = (name: string) => JSON.parse(strFromU8(files[name] as Uint8Array));
    expect(read('versions.json')).toEqual(expect.objectContaining({ app: expect.objectContaining({ version: '0.1.0', runtime: expect.objectContaining({ electron: '45.4.1' }) }), os: expect.objectContaining({ release: '10.0.26100' }) }));
    const settings = read('settings.json');
    expect(settings.installScope).toBe('per-machine');
    expect(settings.updates.state).toBe('off');
    expect(settings.connections.map((connection: { name: string; signIn: unknown }) => [connection.name, connection.signIn])).toEqual([
      ['Uptown staging', { method: 'password', email: '(set)' }],
      ['Uptown service', { method: 'client-credentials', clientId: 'uptown-client' }],
    ]);
    const managed = read('managed-config.json');
    expect(managed).toEqual(expect.objectContaining({ status: 'applied', path: 'C:\\ProgramData\\MSO Admin Console\\managed-config.json', problems: [] }));
    expect(managed.inForce.updates).toEqual({ enabled: false });
    expect(managed.inForce.connections[0]).toEqual(expect.objectContaining({ name: 'Riverbend production', locked: true, signIn: { method: 'password', email: '(set)' } }));
    const log = strFromU8(files['logs/recent.log'] as Uint8Array).trim().split('\n').map((line) => JSON.parse(line));
    expect(log.map((record: { event: string }) => record.event)).toEqual(['app.started', 'sign-in.failed', 'raw']);
  });

  it('carries no secret and no e-mail address, even from a log line the logger would not have written', () => {
    const everything = Object.values(build()).map((content) => strFromU8(content)).join('\n');
    for (const leak of ['should-be-redacted-already', 'cs-live-123', 'raw-token-line', 'eyJhbGciOi', '@uptown.example', '@riverbend.example', '@clinic.example']) {
      expect(everything).not.toContain(leak);
    }
  });

  it('is named with the time it was exported', () => {
    expect(diagnosticsFileName(now)).toBe('mso-admin-console-diagnostics-2026-12-01-09-30-00.zip');
  });
});
