import { describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../../../main/logging/logger';
import { MemorySecretStore } from '../../../main/secrets/memory-secret-store';
import { KeychainQueue } from '../../../main/session/keychain-queue';

describe('the keychain queue', () => {
  it('drops a write no longer wanted when its turn comes, after a delete queued before it ran', async () => {
    const store = new MemorySecretStore();
    const queue = new KeychainQueue(store, silentLogger);
    let wanted = true;
    await queue.write('c', 'refresh-token', 'first', () => wanted);
    const late = queue.write('c', 'refresh-token', 'late', () => wanted);
    wanted = false;
    const cleared = queue.deleteAll('c');
    await Promise.all([late, cleared]);
    expect(await store.get('c', 'refresh-token')).toBeNull();
  });

  it('deletes only the value the caller read: a newer one stays', async () => {
    const store = new MemorySecretStore();
    const queue = new KeychainQueue(store, silentLogger);
    await store.set('c', 'refresh-token', 'old');
    await queue.write('c', 'refresh-token', 'rotated', () => true);
    await queue.deleteIfUnchanged('c', 'refresh-token', 'old');
    expect(await store.get('c', 'refresh-token')).toBe('rotated');
    await queue.deleteIfUnchanged('c', 'refresh-token', 'rotated');
    expect(await store.get('c', 'refresh-token')).toBeNull();
  });

  it('logs a failed write without its value, and carries on', async () => {
    const logs: unknown[] = [];
    const failing = { get: async () => null, set: async () => Promise.reject(new Error('locked')), delete: async () => false };
    const queue = new KeychainQueue(failing, createLogger((record) => logs.push(record)));
    await queue.write('c', 'client-secret', 'the-secret', () => true);
    await queue.settled();
    expect(JSON.stringify(logs)).toContain('session.keychain_write_failed');
    expect(JSON.stringify(logs)).not.toContain('the-secret');
  });
});
