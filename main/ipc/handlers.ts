/** Every handler of the contract, assembled from their feature modules. */
import { type AppHandlerDeps, createAppHandlers } from './app-handlers';
import type { HandlerMap } from './dispatcher';
import { type SessionHandlerDeps, createSessionHandlers } from './session-handlers';

export type MainDeps = AppHandlerDeps & SessionHandlerDeps;

export function createHandlers(deps: MainDeps): HandlerMap {
  return {
    ...createAppHandlers(deps),
    ...createSessionHandlers(deps),
  };
}
