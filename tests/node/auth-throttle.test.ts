/**
 * The test clients' fetch waits out a 429 on sign-in paths (the real server's auth rate limit)
 * and passes every other 429 through: FHIR quota answers are the engines' to handle.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { fetchWaitingOutAuthLimit, resetSecondsOf } from '../support/auth-throttle';

let server: Server;
let base = '';
const seen: string[] = [];
/** Paths that answer 429 on their first request only. */
const throttledOnce = new Set(['/auth/login', '/fhir/R4/Patient']);

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    seen.push(path);
    if (throttledOnce.delete(path)) {
      res.writeHead(429, { RateLimit: '"requests";r=0;t=1' }).end('{}');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});

describe('fetchWaitingOutAuthLimit', () => {
  test('a sign-in answered 429 is sent again after the reset the server names, and succeeds', async () => {
    const started = Date.now();
    const response = await fetchWaitingOutAuthLimit(`${base}/auth/login`, { method: 'POST', body: '{"email":"a@b.example"}' });
    expect(response.status).toBe(200);
    expect(seen.filter((p) => p === '/auth/login')).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  test('a FHIR 429 is returned as it is, without a second request', async () => {
    const response = await fetchWaitingOutAuthLimit(`${base}/fhir/R4/Patient`);
    expect(response.status).toBe(429);
    expect(seen.filter((p) => p === '/fhir/R4/Patient')).toHaveLength(1);
  });

  test('reads the reset seconds from the RateLimit header', () => {
    expect(resetSecondsOf('"requests";r=0;t=42')).toBe(42);
    expect(resetSecondsOf('"fhirInteractions";r=10;t=7')).toBe(7);
    expect(resetSecondsOf(null)).toBeUndefined();
    expect(resetSecondsOf('garbage')).toBeUndefined();
  });
});
