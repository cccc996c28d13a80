import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { originOf } from '../../../main/ipc/sender-policy';
import { invokeChannelNames } from '../../../preload/api/contract';
import { createTestMain, trustedSender } from '../../support/ipc';

/** Anything JSON-like or worse that a compromised renderer could send. */
const payload = fc.oneof(
  fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }),
  fc.record({ url: fc.oneof(fc.webUrl(), fc.string()), jobId: fc.oneof(fc.uuid(), fc.string()) }, { requiredKeys: [] }),
  fc.constant(undefined),
  fc.constant(null),
);

const sender = fc.record({
  webContentsId: fc.option(fc.integer(), { nil: null }),
  frameUrl: fc.option(fc.oneof(fc.webUrl(), fc.constant('app://mso/index.html'), fc.string()), { nil: null }),
  isMainFrame: fc.boolean(),
});

function isEnvelope(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const envelope = value as Record<string, unknown>;
  if (envelope.ok === true) return 'value' in envelope;
  if (envelope.ok !== false) return false;
  const error = envelope.error as Record<string, unknown> | undefined;
  return typeof error?.code === 'string' && typeof error.message === 'string';
}

describe('IPC under random payloads', () => {
  it('every channel always answers with an envelope, never a throw', async () => {
    const main = createTestMain();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...invokeChannelNames, 'unknown', '__proto__'), payload, async (channel, request) => {
        const result = await main.dispatcher.dispatch(channel, trustedSender, request);
        expect(isEnvelope(result)).toBe(true);
      }),
      { numRuns: 400 },
    );
    // openExternal must never have been handed something other than https.
    for (const url of main.opened) expect(url.startsWith('https:')).toBe(true);
  });

  it('random senders get an envelope, and only our main frame gets past the sender check', async () => {
    const main = createTestMain();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...invokeChannelNames), sender, payload, async (channel, from, request) => {
        const result = await main.dispatcher.dispatch(channel, from, request);
        expect(isEnvelope(result)).toBe(true);
        const trusted = from.isMainFrame && from.frameUrl !== null && originOf(from.frameUrl) === 'app://mso';
        if (!trusted) expect(result).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
      }),
      { numRuns: 400 },
    );
  });
});
