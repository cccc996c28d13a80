/**
 * A fetch for test clients that waits out the server's sign-in rate limit. A real Medplum allows
 * about 160 `auth/*` and `oauth2/*` requests a minute per client address (ratelimit.ts), and a
 * test tier signs in far more often than a person would; a 429 there says "come back in t
 * seconds", not that the code under test is wrong. FHIR quota 429s (`fhirInteractions`) are
 * passed through untouched: pacing those is the engines' job, and tests must see it.
 */
const MAX_WAITS = 8;

function isAuthPath(url: string): boolean {
  const path = new URL(url).pathname;
  return path.startsWith('/auth/') || path.startsWith('/oauth2/');
}

/** Seconds until the limit resets, from `RateLimit: "requests";r=0;t=<seconds>`. */
export function resetSecondsOf(header: string | null): number | undefined {
  const match = header ? /(?:^|;)\s*t=(\d+)/.exec(header) : null;
  return match ? Number(match[1]) : undefined;
}

export async function fetchWaitingOutAuthLimit(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = input instanceof Request ? input.url : String(input);
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(input, init);
    if (response.status !== 429 || !isAuthPath(url) || attempt >= MAX_WAITS) {
      return response;
    }
    const seconds = Math.min(60, Math.max(1, resetSecondsOf(response.headers.get('ratelimit')) ?? 5));
    await response.body?.cancel();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
}
