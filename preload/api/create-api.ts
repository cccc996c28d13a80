/**
 * Builds the renderer-facing API over any transport: Electron IPC in the preload, a Playwright
 * binding in the end-to-end harness, direct calls in component tests. One named method per
 * channel and nothing else, so the renderer can never reach an arbitrary channel.
 */
import {
  type Envelope,
  type EventChannel,
  type EventPayloadOf,
  type InvokeChannel,
  type RequestOf,
  type ResponseOf,
  eventChannelNames,
  invokeChannelNames,
  wireEventChannel,
  wireInvokeChannel,
} from './contract';

export interface IpcTransport {
  invoke(wireChannel: string, request: unknown): Promise<unknown>;
  subscribe(wireChannel: string, listener: (payload: unknown) => void): () => void;
}

// A channel whose request has no required field can be called with no argument.
type Method<C extends InvokeChannel> =
  Record<string, never> extends RequestOf<C>
    ? (request?: RequestOf<C>) => Promise<Envelope<ResponseOf<C>>>
    : (request: RequestOf<C>) => Promise<Envelope<ResponseOf<C>>>;

export type MsoApi = { [C in InvokeChannel]: Method<C> } & {
  on: { [E in EventChannel]: (listener: (payload: EventPayloadOf<E>) => void) => () => void };
};

export function createApi(transport: IpcTransport): MsoApi {
  const api: Record<string, unknown> = {};
  for (const channel of invokeChannelNames) {
    api[channel] = async (request: unknown = {}) =>
      (await transport.invoke(wireInvokeChannel(channel), request)) as Envelope<unknown>;
  }
  const on: Record<string, unknown> = {};
  for (const event of eventChannelNames) {
    on[event] = (listener: (payload: unknown) => void) => transport.subscribe(wireEventChannel(event), listener);
  }
  api.on = Object.freeze(on);
  return Object.freeze(api) as MsoApi;
}
