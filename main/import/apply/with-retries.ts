/**
 * Retries what a flaky network or a busy server refuses for a moment: 5xx answers, 429s (after
 * the reset the server names), dropped connections. Anything else (a 4xx the data earned) is
 * the caller's to report.
 */
import { statusOf } from '../../engines/server-errors';
import { AppError } from '../../errors/app-error';
import { type Sleep, sleep } from './quota-pacer';

export const MAX_TRIES = 6;

export function isRetryable(error: unknown): boolean {
  // The engines' own words for a server fault or a lost connection.
  if (error instanceof AppError) return error.code === 'server_error' || error.code === 'network_error';
  const status = statusOf(error);
  if (status !== undefined) return status >= 500 || status === 429;
  // fetch's own failures (ECONNRESET, socket hang up) surface as TypeError.
  return error instanceof TypeError || (error instanceof Error && /fetch failed|socket|ECONNRESET|ECONNREFUSED|terminated/i.test(error.message));
}

export async function withRetries<T>(work: (attempt: number) => Promise<T>, signal?: AbortSignal, wait: Sleep = sleep): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work(attempt);
    } catch (error) {
      if (signal?.aborted || attempt >= MAX_TRIES || !isRetryable(error)) throw error;
      await wait(Math.min(8_000, 250 * 2 ** (attempt - 1)) * (0.5 + Math.random()), signal);
    }
  }
}
