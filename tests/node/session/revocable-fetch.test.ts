import { describe, expect, it } from 'vitest';
import { revocableFetch } from '../../../main/session/revocable-fetch';

describe('a session client’s fetch', () => {
  it('aborts requests in flight when the session ends, and refuses later ones', async () => {
    const ended = new AbortController();
    const seen: AbortSignal[] = [];
    const never: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        seen.push(init?.signal as AbortSignal);
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    const guarded = revocableFetch(never, ended.signal);
    const inFlight = guarded('http://127.0.0.1/x', { signal: new AbortController().signal });
    ended.abort();
    await expect(inFlight).rejects.toThrow('aborted');
    await expect(guarded('http://127.0.0.1/y')).rejects.toMatchObject({ code: 'not_signed_in' });
    expect(seen).toHaveLength(1);
  });
});
