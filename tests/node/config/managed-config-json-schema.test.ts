/**
 * build/managed-config.schema.json is generated from the zod schema; this fails when they drift.
 * To regenerate: MSO_WRITE_SCHEMA=1 npx vitest run tests/node/config/managed-config-json-schema.test.ts
 */
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseManagedConfig } from '../../../main/config/load-managed-config';
import { managedConfigJsonSchema } from '../../../main/config/managed-config-json-schema';

const FILE = 'build/managed-config.schema.json';

describe('the JSON Schema for IT editors', () => {
  it('is the one generated from the schema the console checks', async () => {
    const generated = `${JSON.stringify(managedConfigJsonSchema(), null, 2)}\n`;
    if (process.env.MSO_WRITE_SCHEMA === '1') await writeFile(FILE, generated);
    expect(await readFile(FILE, 'utf8')).toBe(generated);
  });

  it('describes the settings strictly: unknown keys are not allowed at any level', () => {
    const schema = managedConfigJsonSchema() as {
      additionalProperties: boolean;
      required: string[];
      properties: { connections: { items: { additionalProperties: boolean; required: string[] } } };
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['version']);
    expect(schema.properties.connections.items.additionalProperties).toBe(false);
    expect(schema.properties.connections.items.required).toEqual(['name', 'baseUrl', 'signIn', 'mrnSystem', 'isolationMode']);
  });

  it("accepts the guide's example and refuses a preset secret, as an editor would check it", async () => {
    // ajv comes with electron-builder; formats (uuid, email) are the console's own check.
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(managedConfigJsonSchema());
    const guide = await readFile('docs/it-deployment.md', 'utf8');
    const example = JSON.parse(/## Managed configuration[\s\S]*?```json\n([\s\S]*?)```/.exec(guide)?.[1] ?? 'null') as { connections: Record<string, unknown>[] };
    expect(validate(example)).toBe(true);
    const withSecret = { ...example, connections: [{ ...example.connections[0], clientSecret: 'x' }] };
    expect(validate(withSecret)).toBe(false);
    expect(validate({ ...example, hideLocalSandox: true })).toBe(false);
  });

  it('lets a file name its schema for the editor', () => {
    const result = parseManagedConfig('/x', JSON.stringify({ $schema: './managed-config.schema.json', version: 1 }));
    expect(result.status).toBe('applied');
  });
});
