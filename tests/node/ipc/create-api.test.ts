import { describe, expect, it } from 'vitest';
import { eventChannelNames, invokeChannelNames } from '../../../preload/api/contract';
import { createApi } from '../../../preload/api/create-api';
import { createDirectApi, createTestMain } from '../../support/ipc';

describe('createApi', () => {
  it('exposes exactly one method per channel plus the event subscriptions, and is frozen', () => {
    const api = createApi({ invoke: async () => undefined, subscribe: () => () => undefined });
    expect(Object.keys(api).sort()).toEqual([...invokeChannelNames, 'on'].sort());
    expect(Object.keys(api.on).sort()).toEqual([...eventChannelNames].sort());
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('sends each call on its own wire channel and passes the envelope back', async () => {
    const sent: [string, unknown][] = [];
    const api = createApi({
      invoke: async (channel, request) => {
        sent.push([channel, request]);
        return { ok: true, value: { cancelled: true } };
      },
      subscribe: () => () => undefined,
    });
    const jobId = crypto.randomUUID();
    await expect(api.cancelJob({ jobId })).resolves.toEqual({ ok: true, value: { cancelled: true } });
    expect(sent).toEqual([['mso:invoke:cancelJob', { jobId }]]);
  });

  it('reaches the real handlers through the dispatcher', async () => {
    const api = createDirectApi(createTestMain());
    await expect(api.getAppInfo()).resolves.toMatchObject({ ok: true, value: { version: '0.1.0-test' } });
    await expect(api.openExternal({ url: 'http://insecure.example/' })).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
  });
});
