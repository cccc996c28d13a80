/**
 * The fetch under one session's MedplumClient. When the session ends (sign-out, switch, expiry,
 * a cancelled sign-in) its signal aborts: requests in flight are aborted and later ones fail at
 * once, so nothing holding the old client (a bulk job, a late handler) can still write to the
 * old connection's project.
 */
import { AppError } from '../errors/app-error';

export function revocableFetch(fetchImpl: typeof fetch, ended: AbortSignal): typeof fetch {
  return (input, init) => {
    if (ended.aborted) {
      return Promise.reject(new AppError('not_signed_in', 'That sign-in has ended. Sign in again to go on.'));
    }
    // A signal of its own per request: handing `ended` itself to fetch would add a listener to it per request.
    const signal = AbortSignal.any(init?.signal ? [init.signal, ended] : [ended]);
    return fetchImpl(input, { ...init, signal });
  };
}
