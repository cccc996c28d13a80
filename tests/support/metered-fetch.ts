/**
 * A fetch that counts what a client sends (requests, FHIR requests in flight at once, 429s) and
 * can add latency to every request, and a client over it that shares a signed-in client's token.
 * For tests and benchmarks that must see concurrency, pacing and round trips from the outside.
 */
import type { MedplumClient } from '@medplum/core';
import { MedplumClient as Client } from '@medplum/core';

export interface MeteredFetch {
  readonly fetch: typeof fetch;
  /**
   * FHIR requests sent, their 429 answers, the most in flight at one moment, and the quota points
   * the server says were spent (from the `RateLimit` header's points left, answer to answer; a
   * rise is a new window, whose spending so far is `quotaLimit` minus what is left).
   */
  readonly counts: { requests: number; throttled: number; maxInFlight: number; points: number };
  /** Added to every request before it goes out (ms). */
  latencyMs: number;
  reset(): void;
}

export function meteredFetch(latencyMs = 0, quotaLimit?: number): MeteredFetch {
  let inFlight = 0;
  let lastLeft: number | undefined;
  const meter: MeteredFetch = {
    counts: { requests: 0, throttled: 0, maxInFlight: 0, points: 0 },
    latencyMs,
    reset() {
      Object.assign(meter.counts, { requests: 0, throttled: 0, maxInFlight: 0, points: 0 });
    },
    fetch: async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const fhir = new URL(url).pathname.includes('/fhir/');
      if (fhir) {
        meter.counts.requests++;
        inFlight++;
        meter.counts.maxInFlight = Math.max(meter.counts.maxInFlight, inFlight);
      }
      try {
        if (meter.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, meter.latencyMs));
        const response = await fetch(input, init);
        if (fhir && response.status === 429) meter.counts.throttled++;
        const left = /"fhirInteractions";r=(\d+)/.exec(response.headers.get('ratelimit') ?? '')?.[1];
        if (fhir && left !== undefined) {
          const now = Number(left);
          if (lastLeft !== undefined && now <= lastLeft) meter.counts.points += lastLeft - now;
          else if (lastLeft !== undefined && quotaLimit !== undefined) meter.counts.points += Math.max(0, quotaLimit - now);
          lastLeft = now;
        }
        return response;
      } finally {
        if (fhir) inFlight--;
      }
    },
  };
  return meter;
}

/** A second client over `fetch`, signed in as `signedIn` is (same access token, same project). */
export function clientOver(signedIn: MedplumClient, fetchImpl: typeof fetch): MedplumClient {
  const client = new Client({ baseUrl: signedIn.getBaseUrl(), fetch: fetchImpl });
  client.setAccessToken(signedIn.getAccessToken() as string);
  return client;
}
