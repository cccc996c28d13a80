/**
 * Help → Export Diagnostics: a zip IT can attach to a ticket. It holds versions, the settings
 * without anything personal or secret, the managed configuration in force (and any problems
 * with it), the update state and the recent log. The console never holds secrets outside the
 * keychain, and the log has none, but every part is filtered again here: this file leaves the
 * building.
 */
import { strToU8, zipSync } from 'fflate';
import type { AppInfo } from '../../preload/api/contract';
import type { Connection } from '../../preload/api/schemas/connection';
import { type ManagedConfigResult, managedConfigInForce } from '../config/load-managed-config';
import { redactFields, type LogFields } from '../logging/logger';

export interface DiagnosticsInput {
  now: Date;
  appInfo: AppInfo;
  os: { platform: string; release: string; arch: string };
  installScope: string;
  connections: { connections: Connection[]; activeConnectionId: string | null };
  managedConfig: ManagedConfigResult;
  updates: unknown;
  /** The recent log (JSON lines), newest last. */
  recentLog: string;
}

const README = `MSO Admin Console diagnostics

versions.json        the console, Electron, Chrome, Node and the operating system
settings.json        the saved connections (server, project, sign-in method; e-mail addresses removed),
                     how the console was installed, and the state of updates
managed-config.json  where the console looks for IT's managed configuration, whether it applied,
                     what was wrong with it if not, and the configuration in force
logs/recent.log      the most recent part of the log (JSON lines)

Not included: passwords, tokens, client secrets (they stay in the system keychain) or any patient data.
`;

const EMAIL = /[^\s@"]+@[^\s@".]+(\.[^\s@".]+)+/g;

function shareableSignIn(signIn: Connection['signIn']): Record<string, unknown> {
  return signIn.method === 'password' ? { method: 'password', email: signIn.email ? '(set)' : '(not set)' } : signIn;
}

/** A connection as IT may see it: everything but the administrator's e-mail address. */
function shareableConnection(connection: Connection): Record<string, unknown> {
  return { ...connection, signIn: shareableSignIn(connection.signIn) };
}

/** Keeps only log lines that are our own JSON records, with their fields filtered again. */
function filteredLog(text: string): string {
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const record = JSON.parse(line) as { time?: unknown; level?: unknown; event?: unknown; fields?: LogFields };
      if (typeof record.event !== 'string') continue;
      const fields = redactFields(record.fields ?? {});
      for (const [key, value] of Object.entries(fields)) if (typeof value === 'string') fields[key] = value.replace(EMAIL, '[email]');
      lines.push(JSON.stringify({ time: record.time, level: record.level, event: record.event, fields }));
    } catch {
      // Not one of our records: left out rather than risk what it holds.
    }
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

const json = (value: unknown) => strToU8(`${JSON.stringify(value, null, 2)}\n`);

export function diagnosticsFileName(now: Date): string {
  return `mso-admin-console-diagnostics-${now.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.zip`;
}

export function buildDiagnosticsZip(input: DiagnosticsInput): Uint8Array {
  const mtime = input.now;
  const managed = input.managedConfig;
  return zipSync(
    {
      'README.txt': [strToU8(README), { mtime }],
      'versions.json': [json({ exportedAt: input.now.toISOString(), app: input.appInfo, os: input.os }), { mtime }],
      'settings.json': [
        json({
          installScope: input.installScope,
          updates: input.updates,
          activeConnectionId: input.connections.activeConnectionId,
          connections: input.connections.connections.map(shareableConnection),
        }),
        { mtime },
      ],
      'managed-config.json': [
        json({
          path: managed.path,
          status: managed.status,
          problems: managed.status === 'invalid' ? managed.problems : [],
          inForce: (() => {
            const config = managedConfigInForce(managed);
            return { ...config, connections: config.connections.map((preset) => ({ ...preset, signIn: shareableSignIn(preset.signIn) })) };
          })(),
        }),
        { mtime },
      ],
      'logs/recent.log': [strToU8(filteredLog(input.recentLog)), { mtime }],
    },
    { level: 6 },
  );
}
