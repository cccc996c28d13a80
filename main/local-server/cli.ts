import { parseArgs } from 'node:util';
import { isLoopbackHost } from './loopback-host';
import { startLocalServer } from './server';

// `npm run sandbox -- --port <n> [--data <file>] [--empty] [--host <addr> [--allow-remote]]`: the local sandbox on its own.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      empty: { type: 'boolean', default: false },
      'allow-remote': { type: 'boolean', default: false },
    },
  });
  const remote = values.host !== undefined && !isLoopbackHost(values.host);
  if (remote && !values['allow-remote']) {
    throw new Error(`--host ${values.host} is not a loopback address. The sandbox prints its admin password and has no TLS: keep it on 127.0.0.1, or add --allow-remote if you really mean to expose it.`);
  }
  const port = values.port === undefined ? 0 : Number.parseInt(values.port, 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid --port: ${values.port}`);
  }
  const server = await startLocalServer({
    port,
    host: values.host,
    allowRemote: values['allow-remote'],
    data: values.data,
    seed: values.empty ? 'empty' : 'demo',
  });

  // The sandbox's own sign-in is printed on purpose: it is reset on every start and lives on
  // loopback unless --allow-remote was given (then with a warning).
  const lines = [
    'MSO local sandbox (a test server, NOT a production Medplum server)',
    `  Base URL:        ${server.baseUrl}`,
    `  Project:         ${server.projectId}`,
    `  Admin email:     ${server.admin.email}`,
    `  Admin password:  ${server.admin.password}`,
  ];
  if (!values.empty) {
    lines.push(`  Demo clinicians: *@clinic.sandbox.local, password ${server.clinicianPassword}`);
  }
  lines.push(values.data ? `  Data file:       ${values.data}` : '  Data:            in memory only (use --data <file> to keep it)');
  lines.push('Press Ctrl+C to stop.');
  if (remote) {
    process.stderr.write(
      `WARNING: listening on ${values.host}, which other machines may reach. Anyone who can reach it and sees the password below is a project admin; there is no TLS.\n`
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) {
      return;
    }
    stopping = true;
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`Error while stopping: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      }
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
