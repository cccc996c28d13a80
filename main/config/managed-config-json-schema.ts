/**
 * The managed configuration's JSON Schema, generated from the zod schema the console checks, so
 * IT's editor can flag a mistake before the file is deployed. It describes the shapes; the
 * console's own check (load-managed-config.ts) also applies the rules a JSON Schema cannot
 * express (https only, no duplicate names). Kept in build/managed-config.schema.json.
 */
import { z } from 'zod';
import { managedConfigSchema } from './managed-config-schema';

export function managedConfigJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(managedConfigSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'MSO Admin Console managed configuration',
    description: 'Machine-wide settings IT installs for MSO Admin Console; see docs/it-deployment.md.',
  };
}
