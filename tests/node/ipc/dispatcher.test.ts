import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../../main/errors/app-error';
import { type HandlerMap, createDispatcher } from '../../../main/ipc/dispatcher';
import { createSenderPolicy } from '../../../main/ipc/sender-policy';
import { invokeChannelNames } from '../../../preload/api/contract';
import { type LogRecord, createLogger } from '../../../main/logging/logger';
import { createTestMain, trustedSender } from '../../support/ipc';

function setup(overrides: Partial<HandlerMap> = {}) {
  const stubs = Object.fromEntries(invokeChannelNames.map((channel) => [channel, vi.fn(() => ({}))]));
  const handlers: HandlerMap = {
    ...(stubs as unknown as HandlerMap),
    getAppInfo: vi.fn(() => ({
      name: 'x',
      version: '1.2.3',
      platform: 'linux',
      packaged: false,
      runtime: { electron: null, chrome: null, node: '22' },
    })),
    openExternal: vi.fn(async () => ({ opened: true })),
    listJobs: vi.fn(() => []),
    cancelJob: vi.fn(() => ({ cancelled: false })),
    ...overrides,
  };
  const logs: LogRecord[] = [];
  const dispatcher = createDispatcher({
    handlers,
    senderPolicy: createSenderPolicy({ allowedOrigins: ['app://mso'] }),
    logger: createLogger((record) => logs.push(record)),
  });
  return { handlers, dispatcher, logs };
}

describe('IPC dispatcher', () => {
  it('answers a valid call from our UI with the handler value in an ok envelope', async () => {
    const { dispatcher } = setup();
    const result = await dispatcher.dispatch('getAppInfo', trustedSender, {});
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ version: '1.2.3' }) });
  });

  it('refuses invalid arguments with invalid_argument and never runs the handler', async () => {
    const { dispatcher, handlers } = setup();
    const badPayloads: unknown[] = [{ jobId: 'not-a-uuid' }, { jobId: 42 }, {}, 'text', [1, 2], { jobId: crypto.randomUUID(), extra: 1 }];
    for (const payload of badPayloads) {
      const result = await dispatcher.dispatch('cancelJob', trustedSender, payload);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('invalid_argument');
        expect(result.error.message).toContain('cancelJob');
      }
    }
    expect(handlers.cancelJob).not.toHaveBeenCalled();
  });

  it('does not echo the rejected values back in the message', async () => {
    const { dispatcher, logs } = setup();
    const result = await dispatcher.dispatch('openExternal', trustedSender, { url: 'x'.repeat(3000) });
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('xxxxxxxxxx');
    expect(JSON.stringify(logs)).not.toContain('xxxxxxxxxx');
  });

  it('refuses a sender that is not our UI, before parsing or running anything', async () => {
    const { dispatcher, handlers } = setup();
    const foreignSenders = [
      { webContentsId: 1, frameUrl: 'https://evil.example/page', isMainFrame: true },
      { webContentsId: 1, frameUrl: 'app://mso/index.html', isMainFrame: false },
      { webContentsId: 1, frameUrl: null, isMainFrame: true },
      { webContentsId: 1, frameUrl: 'file:///etc/passwd', isMainFrame: true },
    ];
    for (const sender of foreignSenders) {
      const result = await dispatcher.dispatch('getAppInfo', sender, {});
      expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'forbidden_sender' }) });
    }
    expect(handlers.getAppInfo).not.toHaveBeenCalled();
  });

  it('answers unknown channels, including prototype names, with unknown_channel', async () => {
    const { dispatcher } = setup();
    for (const channel of ['nope', '__proto__', 'constructor', 'toString']) {
      const result = await dispatcher.dispatch(channel, trustedSender, {});
      expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'unknown_channel' }) });
    }
  });

  it('turns an AppError into its code and message', async () => {
    const { dispatcher } = setup({
      listJobs: () => {
        throw new AppError('not_signed_in', 'Sign in first.', 'status 401');
      },
    });
    expect(await dispatcher.dispatch('listJobs', trustedSender, {})).toEqual({
      ok: false,
      error: { code: 'not_signed_in', message: 'Sign in first.', details: 'status 401' },
    });
  });

  it('turns an unexpected error into "internal" without leaking its message', async () => {
    const { dispatcher, logs } = setup({
      listJobs: async () => {
        throw new Error('token=abc123 for patient Jane Doe');
      },
    });
    const result = await dispatcher.dispatch('listJobs', trustedSender, {});
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'internal' }) });
    expect(JSON.stringify(result)).not.toContain('abc123');
    expect(JSON.stringify(logs)).not.toContain('abc123');
    expect(JSON.stringify(logs)).not.toContain('Jane');
  });
});

describe('ids that are path steps', () => {
  it('refuses "." and ".." as ids before any handler runs', async () => {
    const main = createTestMain();
    for (const clinicId of ['.', '..', '...']) {
      expect(await main.dispatcher.dispatch('getClinic', trustedSender, { clinicId })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
    }
  });
});
