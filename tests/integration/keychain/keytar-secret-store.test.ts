/**
 * The real keytar against the Secret Service that `npm test` starts (GNOME Keyring inside
 * dbus-run-session), and the message an administrator gets when there is none.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../../main/secrets/keytar-secret-store';

const run = promisify(execFile);
const service = `MSO Admin Console tests ${randomUUID()}`;
const store = new KeytarSecretStore(service);
const connectionId = randomUUID();

afterAll(async () => {
  await store.delete(connectionId, 'refresh-token').catch(() => undefined);
  await store.delete(connectionId, 'client-secret').catch(() => undefined);
});

describe('keytar secret store (real Secret Service)', () => {
  it('stores, reads, replaces and deletes a secret', async () => {
    expect(process.env.DBUS_SESSION_BUS_ADDRESS, 'run through npm test, which starts a keyring').toBeTruthy();
    expect(await store.get(connectionId, 'refresh-token')).toBeNull();
    await store.set(connectionId, 'refresh-token', 'first-value');
    expect(await store.get(connectionId, 'refresh-token')).toBe('first-value');
    await store.set(connectionId, 'refresh-token', 'second-value');
    expect(await store.get(connectionId, 'refresh-token')).toBe('second-value');
    // Another store object (as after a restart) reads the same keychain entry.
    expect(await new KeytarSecretStore(service).get(connectionId, 'refresh-token')).toBe('second-value');
    expect(await store.delete(connectionId, 'refresh-token')).toBe(true);
    expect(await store.get(connectionId, 'refresh-token')).toBeNull();
    expect(await store.delete(connectionId, 'refresh-token')).toBe(false);
  });

  it('keeps the kinds of secret of a connection apart', async () => {
    await store.set(connectionId, 'client-secret', 'the-client-secret');
    expect(await store.get(connectionId, 'refresh-token')).toBeNull();
    expect(await store.get(connectionId, 'client-secret')).toBe('the-client-secret');
  });

  it('says plainly what to install when no Secret Service runs, and stores nothing', async () => {
    const script = path.join(__dirname, 'no-secret-service.script.ts');
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', DISPLAY: '' };
    const { stdout } = await run(path.resolve('node_modules/.bin/tsx'), [script], { env, timeout: 60_000 });
    const result = JSON.parse(stdout.trim().split('\n').at(-1) as string) as { code: string; message: string }[];
    expect(result).toHaveLength(2);
    for (const failure of result) {
      expect(failure.code).toBe('keychain_unavailable');
      expect(failure.message).toContain('GNOME Keyring');
      expect(failure.message).toContain('never stores credentials outside the keychain');
    }
  });
});
