/** `npm run sandbox` as IT would run it: a real process, its printed sign-in, a clean stop. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LocalServer, signIn } from '../../support/local-server';

function startCli(args: string[]) {
  const child = spawn(path.resolve('node_modules/.bin/tsx'), ['main/local-server/cli.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const printed = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl+C to stop.')) resolve(output);
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${output}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, printed, exited, stdout: () => output, stderr: () => errors };
}

describe('npm run sandbox', () => {
  it('prints its base URL and admin sign-in, serves, and writes its data file when stopped', async () => {
    const data = path.join(mkdtempSync(path.join(tmpdir(), 'mso-sandbox-')), 'sandbox.json');
    const cli = startCli(['--port', '0', '--empty', '--data', data]);
    const output = await cli.printed;
    const baseUrl = /Base URL:\s+(\S+)/.exec(output)?.[1] as string;
    const email = /Admin email:\s+(\S+)/.exec(output)?.[1] as string;
    const password = /Admin password:\s+(\S+)/.exec(output)?.[1] as string;
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    // The support helper only needs the base URL of the server it signs in to.
    const client = await signIn({ baseUrl } as LocalServer, email, password);
    await client.createResource({ resourceType: 'Organization', name: 'Saved Clinic' });

    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    const saved = readFileSync(data, 'utf8');
    expect(saved).toContain('Saved Clinic');
    expect(saved).not.toContain(password);
  });

  it('refuses a --host that is not loopback, and prints no password', async () => {
    for (const host of ['0.0.0.0', '192.0.2.10']) {
      const cli = startCli(['--port', '0', '--empty', '--host', host]);
      cli.printed.catch(() => undefined);
      expect(await cli.exited, host).toBe(1);
      expect(cli.stderr(), host).toContain('--allow-remote');
      expect(cli.stdout(), host).not.toContain('Admin password');
    }
  });

  it('listens on a non-loopback --host only with --allow-remote, and warns', async () => {
    const cli = startCli(['--port', '0', '--empty', '--host', '0.0.0.0', '--allow-remote']);
    const output = await cli.printed;
    expect(output).toMatch(/Base URL:\s+http:\/\/0\.0\.0\.0:\d+\//);
    expect(cli.stderr()).toContain('WARNING');
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });
});
