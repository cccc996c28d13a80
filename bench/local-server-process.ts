/**
 * The local server in a child process of its own (local-server-child.ts), so a benchmark's client
 * work does not take time from the server's thread, as against a real Medplum.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildReady } from './local-server-child';

export interface LocalServerProcess extends ChildReady {
  stop(): Promise<void>;
}

export async function startLocalServerProcess(quota: number): Promise<LocalServerProcess> {
  const child = fork(fileURLToPath(new URL('./local-server-child.ts', import.meta.url)), ['--quota', String(quota)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ready = await new Promise<ChildReady>((resolve, reject) => {
    child.once('message', (message) => resolve(message as ChildReady));
    child.once('error', reject);
    void exited.then((code) => reject(new Error(`The local server process exited (${code}) before it was ready`)));
  });
  return {
    ...ready,
    async stop() {
      if (child.exitCode === null) child.send('stop');
      const code = await exited;
      if (code !== 0) throw new Error(`The local server process stopped with code ${code}`);
    },
  };
}
