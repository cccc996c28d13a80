/**
 * Runs in the page before the app, in place of the Electron preload: builds the API with the
 * very same createApi factory, over a Playwright binding that reaches main's dispatcher.
 */
import { createApi } from '../../../preload/api/create-api';

declare global {
  interface Window {
    __msoInvoke(wireChannel: string, request: unknown): Promise<unknown>;
    __msoEmit(wireChannel: string, payload: unknown): void;
  }
}

const listeners = new Map<string, Set<(payload: unknown) => void>>();

window.__msoEmit = (wireChannel, payload) => {
  for (const listener of listeners.get(wireChannel) ?? []) listener(payload);
};

window.msoApi = createApi({
  invoke: (wireChannel, request) => window.__msoInvoke(wireChannel, request),
  subscribe: (wireChannel, listener) => {
    const set = listeners.get(wireChannel) ?? new Set();
    set.add(listener);
    listeners.set(wireChannel, set);
    return () => set.delete(listener);
  },
});
