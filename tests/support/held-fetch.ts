/**
 * A fetch for main in tests that records every request and can hold one until the test lets it
 * go, so a test can put an edit, a sign-out or a switch exactly in the middle of a call.
 */
export interface SentRequest {
  url: string;
  body: string;
}

export interface HeldRequest {
  /** Resolves when the request has reached the hold (it has not been sent yet). */
  reached: Promise<void>;
  /** Sends it on (if its signal was aborted meanwhile, it fails as a real one would). */
  release(): void;
}

export interface HeldFetch {
  fetch: typeof fetch;
  sent: SentRequest[];
  /** Holds the next request whose URL matches. */
  hold(match: (url: string) => boolean): HeldRequest;
  /** Adds this delay to every request whose URL matches (0 to stop). */
  slowDown(match: (url: string) => boolean, ms: number): void;
}

export function createHeldFetch(): HeldFetch {
  const sent: SentRequest[] = [];
  const holds: { match: (url: string) => boolean; reached: () => void; released: Promise<void> }[] = [];
  let slow: { match: (url: string) => boolean; ms: number } | null = null;
  const heldFetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    sent.push({ url, body: init?.body === undefined || init.body === null ? '' : String(init.body) });
    const index = holds.findIndex((hold) => hold.match(url));
    if (index >= 0) {
      const [hold] = holds.splice(index, 1);
      hold?.reached();
      await hold?.released;
    }
    if (slow && slow.ms > 0 && slow.match(url)) await new Promise((resolve) => setTimeout(resolve, slow?.ms));
    return fetch(input, init);
  };
  return {
    fetch: heldFetch,
    sent,
    hold(match) {
      let reached = () => undefined as void;
      let release = () => undefined as void;
      const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      holds.push({ match, reached, released });
      return { reached: reachedPromise, release };
    },
    slowDown(match, ms) {
      slow = { match, ms };
    },
  };
}
