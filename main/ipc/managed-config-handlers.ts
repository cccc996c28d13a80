/** What the renderer may know of the managed configuration: its state and problems, never more. */
import type { ManagedConfigStatus } from '../../preload/api/contract';
import { type ManagedConfigResult, managedConfigInForce } from '../config/load-managed-config';
import type { Handler } from './dispatcher';

export function managedConfigStatus(result: ManagedConfigResult): ManagedConfigStatus {
  const config = managedConfigInForce(result);
  return {
    status: result.status,
    path: result.path,
    problems: result.status === 'invalid' ? [...result.problems] : [],
    hideLocalSandbox: config.hideLocalSandbox,
    updatesEnabled: config.updates.enabled,
  };
}

export function createManagedConfigHandlers(result: ManagedConfigResult): { getManagedConfig: Handler<'getManagedConfig'> } {
  return { getManagedConfig: () => managedConfigStatus(result) };
}
