/**
 * The managed configuration IT puts on a machine (docs/it-deployment.md): preset connections,
 * which of them are locked, whether the local sandbox is offered, and the update policy. It is
 * strict: an unknown key (a misspelling, or a secret someone tried to preset) makes the whole
 * file invalid, so it is never half-applied and never carries a password or client secret.
 */
import { z } from 'zod';
import { isolationModeSchema, medplumBaseUrl, signInMethodSchema } from '../../preload/api/schemas/connection';

const medplumId = z.string().trim().regex(/^(?=.*[A-Za-z0-9])[A-Za-z0-9\-.]{1,64}$/, 'must be a Medplum id');

export const managedConnectionSchema = z
  .object({
    /** Optional: a fixed id keeps saved sign-ins when IT renames the connection. */
    id: z.string().uuid().optional(),
    name: z.string().trim().min(1, 'is required').max(80),
    baseUrl: medplumBaseUrl,
    projectId: medplumId.optional(),
    signIn: signInMethodSchema.refine((method) => method.method !== 'local-sandbox', 'cannot be the local sandbox'),
    mrnSystem: z
      .string()
      .trim()
      .min(1)
      .max(2048)
      .refine((value) => /^[a-z][a-z0-9+.-]*:\S+$/i.test(value), 'must be an absolute URI such as https://example.org/mrn'),
    isolationMode: isolationModeSchema,
    consentReference: z.string().trim().regex(/^Consent\/[A-Za-z0-9\-.]{1,64}$/, 'must look like Consent/<id>').optional(),
    /** Locked: the user can sign in with it but not edit or remove it. */
    locked: z.boolean().default(false),
  })
  .strict();

const httpsUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'must be an https:// address without a user name or password');

export const managedConfigSchema = z
  .object({
    /** Lets an editor check the file against build/managed-config.schema.json; not read. */
    $schema: z.string().max(2048).optional(),
    version: z.literal(1),
    connections: z
      .array(managedConnectionSchema)
      .max(100)
      .default([])
      .refine((list) => new Set(list.map((entry) => entry.name.toLowerCase())).size === list.length, 'has two connections with the same name'),
    /** Hides the embedded local sandbox (demo data) from the Connections screen. */
    hideLocalSandbox: z.boolean().default(false),
    updates: z
      .object({
        enabled: z.boolean().default(true),
        /** The generic update feed (a folder with latest*.yml); defaults to the one built in. */
        url: httpsUrl.optional(),
      })
      .strict()
      .default({ enabled: true }),
  })
  .strict();

export type ManagedConfig = z.output<typeof managedConfigSchema>;
export type ManagedConnection = z.output<typeof managedConnectionSchema>;

/** What is in force when there is no file, or the file is invalid: nothing managed. */
export const NO_MANAGED_CONFIG: ManagedConfig = { version: 1, connections: [], hideLocalSandbox: false, updates: { enabled: true } };
