/**
 * Turns the managed configuration into what the connection store enforces: the preset
 * connections (each marked managed, locked or not) and whether the local sandbox is hidden.
 */
import { createHash } from 'node:crypto';
import type { Connection } from '../../preload/api/schemas/connection';
import type { ManagedConfig } from './managed-config-schema';

export interface ConnectionPolicy {
  presets: Connection[];
  hideLocalSandbox: boolean;
}

export const NO_CONNECTION_POLICY: ConnectionPolicy = { presets: [], hideLocalSandbox: false };

/** A stable id from the name, so a preset keeps its saved sign-in from one start to the next. */
export function presetConnectionId(name: string): string {
  const hex = createHash('sha256').update(`mso-managed-connection:${name.trim().toLowerCase()}`).digest('hex');
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function connectionPolicyOf(config: ManagedConfig): ConnectionPolicy {
  return {
    hideLocalSandbox: config.hideLocalSandbox,
    presets: config.connections.map(({ locked, id, ...preset }) => ({
      ...preset,
      id: id ?? presetConnectionId(preset.name),
      managed: { locked },
    })),
  };
}
