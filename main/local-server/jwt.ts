import { createHmac, timingSafeEqual } from 'node:crypto';

export interface AccessTokenClaims {
  readonly login_id: string;
  readonly sub: string;
  readonly username: string;
  readonly profile: string;
  readonly scope: string;
  readonly client_id?: string;
  readonly iss: string;
  readonly iat: number;
  readonly exp: number;
}

function base64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

/**
 * HS256 JWTs signed with a per-process key. MedplumClient needs a JWT (it reads `exp` to know
 * when to refresh, and `login_id` to treat the server as Medplum and call auth/me).
 */
export class JwtSigner {
  constructor(private readonly key: Buffer) {}

  sign(claims: object): string {
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = base64url(JSON.stringify(claims));
    return `${header}.${payload}.${this.signature(`${header}.${payload}`)}`;
  }

  /** Returns the claims when the signature is ours, otherwise undefined. Expiry is the caller's check. */
  verify<T>(token: string): T | undefined {
    const [header, payload, signature] = token.split('.');
    if (!header || !payload || !signature) {
      return undefined;
    }
    const expected = Buffer.from(this.signature(`${header}.${payload}`));
    const actual = Buffer.from(signature);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
      return undefined;
    }
    try {
      return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as T;
    } catch {
      return undefined;
    }
  }

  private signature(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }
}
