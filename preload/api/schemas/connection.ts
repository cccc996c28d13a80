/**
 * The shape of a saved connection, checked wherever one crosses a trust boundary (IPC, the
 * settings file). It holds no secret: client secrets and refresh tokens live in the keychain.
 */
import { z } from 'zod';

/** This machine's own names: the only hosts plain http is ever used with. */
export function isLoopbackHost(hostname: string): boolean {
  return ['127.0.0.1', 'localhost', '[::1]'].includes(hostname);
}

/** https anywhere; plain http only on this machine (the local sandbox, a developer's server). */
export const medplumBaseUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      if (url.username || url.password) return false;
      if (url.protocol === 'https:') return true;
      return url.protocol === 'http:' && isLoopbackHost(url.hostname);
    } catch {
      return false;
    }
  }, 'must be an https:// address (or http:// on this machine), without a user name or password')
  .transform((value) => (value.endsWith('/') ? value : `${value}/`));

const absoluteUri = z
  .string()
  .trim()
  .min(1)
  .max(2048)
  .refine((value) => /^[a-z][a-z0-9+.-]*:\S+$/i.test(value), 'must be an absolute URI such as https://example.org/mrn');

const id = z.string().trim().regex(/^(?=.*[A-Za-z0-9])[A-Za-z0-9\-.]{1,64}$/, 'must be a Medplum id');

export const signInMethodSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('password'), email: z.string().trim().email().max(320).optional() }).strict(),
  z.object({ method: z.literal('client-credentials'), clientId: id }).strict(),
  z.object({ method: z.literal('authorization-code'), clientId: id.optional() }).strict(),
  z.object({ method: z.literal('local-sandbox') }).strict(),
]);

export const isolationModeSchema = z.enum(['shared-membership', 'membership-per-clinic']);

export const connectionInputSchema = z
  .object({
    id: z.string().uuid().optional(),
    name: z.string().trim().min(1, 'is required').max(80),
    baseUrl: medplumBaseUrl,
    projectId: id.optional(),
    signIn: signInMethodSchema,
    mrnSystem: absoluteUri,
    isolationMode: isolationModeSchema,
    /** The universal Consent used for consent gating, as `Consent/<id>`. */
    consentReference: z.string().trim().regex(/^Consent\/(?=[^/]*[A-Za-z0-9])[A-Za-z0-9\-.]{1,64}$/, 'must look like Consent/<id>').optional(),
  })
  .strict();

export type ConnectionInput = z.input<typeof connectionInputSchema>;
export type SignInMethod = z.output<typeof signInMethodSchema>;
export type IsolationMode = z.output<typeof isolationModeSchema>;

export interface Connection {
  id: string;
  name: string;
  baseUrl: string;
  projectId?: string;
  signIn: SignInMethod;
  mrnSystem: string;
  isolationMode: IsolationMode;
  consentReference?: string;
  /** Set by the managed configuration IT installed; a locked one cannot be edited or removed. */
  managed?: { locked: boolean };
}

export const credentialsSchema = z.discriminatedUnion('method', [
  z.object({ method: z.literal('password'), email: z.string().trim().email().max(320), password: z.string().min(1).max(1024) }).strict(),
  z.object({ method: z.literal('client-credentials'), clientSecret: z.string().min(1).max(1024) }).strict(),
  z.object({ method: z.literal('authorization-code') }).strict(),
  z.object({ method: z.literal('local-sandbox') }).strict(),
]);

export type Credentials = z.output<typeof credentialsSchema>;

/** Who is signed in, where: everything the renderer may know about a session, and no token. */
export interface SessionInfo {
  connectionId: string;
  connectionName: string;
  baseUrl: string;
  isLocalSandbox: boolean;
  projectId: string;
  projectName: string;
  /** e.g. "Practitioner/123" or "ClientApplication/abc". */
  profileReference: string;
  profileName: string;
  isProjectAdmin: boolean;
  method: SignInMethod['method'];
}

export interface MembershipChoice {
  id: string;
  projectName: string;
  profileName: string;
}

export type SignInResult =
  | { status: 'signed-in'; session: SessionInfo }
  | { status: 'choose-membership'; pendingId: string; memberships: MembershipChoice[] };

export type SessionEvent =
  | { state: 'signed-in'; session: SessionInfo }
  | { state: 'signed-out'; connectionId: string }
  /** `signInKept`: the server could not be asked (offline, a fault), so the saved sign-in stays for later. */
  | { state: 'expired'; connectionId: string; reason: string; signInKept?: boolean };
