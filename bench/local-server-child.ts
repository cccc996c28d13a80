/**
 * The local server alone in this process, for benchmarks that must not share its thread: forked by
 * local-server-process.ts with `--quota <points a minute>`, it starts the server as the benchmark
 * would in-process (empty seed, in memory, loopback, free port) and sends its sign-in over the IPC
 * channel (never stdout), then stops on 'stop' or when the parent goes away.
 */
import { parseArgs } from 'node:util';
import { startLocalServer } from '../main/local-server/server';

export interface ChildReady {
  readonly baseUrl: string;
  readonly projectId: string;
  readonly admin: { email: string; password: string };
  readonly msoPolicyId: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quota: { type: 'string' } } });
  const pointsPerWindow = Number(values.quota);
  if (!process.send) throw new Error('local-server-child runs forked, with an IPC channel');
  if (!Number.isInteger(pointsPerWindow) || pointsPerWindow <= 0) throw new Error(`Invalid --quota: ${values.quota}`);
  const server = await startLocalServer({ seed: 'empty', quota: { pointsPerWindow } });
  const msoPolicyId = server.seed?.msoPolicyId;
  if (!msoPolicyId) throw new Error('The seeded server has no MSO policy');
  const stop = (): void => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('message', (message) => message === 'stop' && stop());
  process.on('disconnect', stop);
  const ready: ChildReady = { baseUrl: server.baseUrl, projectId: server.projectId, admin: { ...server.admin }, msoPolicyId };
  process.send(ready);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
