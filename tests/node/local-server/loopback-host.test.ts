import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../../main/local-server/loopback-host';
import { startLocalServer } from '../../../main/local-server/server';

describe('isLoopbackHost', () => {
  it('accepts only addresses this machine alone can reach', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.5', '10.0.0.1', '::ffff:10.0.0.1', 'example.com', 'localhost.example.com', '128.0.0.1', '']) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });

  it('startLocalServer refuses a non-loopback host unless allowRemote is given', async () => {
    await expect(startLocalServer({ seed: 'empty', host: '0.0.0.0' })).rejects.toThrow(/not a loopback address/);
  });
});
