/** Every handler of the contract, assembled from their feature modules. */
import { type AppHandlerDeps, createAppHandlers } from './app-handlers';
import type { HandlerMap } from './dispatcher';

export type MainDeps = AppHandlerDeps;

export function createHandlers(deps: MainDeps): HandlerMap {
  return {
    ...createAppHandlers(deps),
  };
}
