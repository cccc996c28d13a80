import { parseArgs } from 'node:util';
import { startLocalServer } from './server';

// `npm run sandbox -- --port <n> [--data <file>] [--empty]`: the local sandbox on its own.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      empty: { type: 'boolean', default: false },
    },
  });
  const port = values.port === undefined ? 0 : Number.parseInt(values.port, 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`Invalid --port: ${values.port}`);
  }
  const server = await startLocalServer({
    port,
    host: values.host,
    data: values.data,
    seed: values.empty ? 'empty' : 'demo',
  });

  // The sandbox's own sign-in is printed on purpose: it is reset on every start and lives only on loopback.
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
