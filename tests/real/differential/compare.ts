/**
 * Differential testing: the same steps against our local server and a real Medplum, compared by
 * what does not depend on ids (statuses, issue codes, sets of clinic and patient names, counts).
 * A divergence fails with both answers side by side; where they agree, the test also pins the
 * shared answer so that a change on both sides is noticed too.
 */
import type { MedplumClient } from '@medplum/core';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { expect } from 'vitest';
import type { BackendKind, TestBackend } from '../../support/backend';
import { startTestBackend } from '../../support/backend';
import { signInAsAdmin } from '../../support/local-server';

export interface Side {
  readonly kind: BackendKind;
  readonly backend: TestBackend;
  /** The project's administrator (not a super admin), signed in. */
  readonly admin: MedplumClient;
}

export interface Sides {
  readonly local: Side;
  readonly real: Side;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Points a minute for each membership, on both sides (the real server's default is 50,000). */
  readonly fhirQuota?: number;
}

/** A fresh project on each backend, each with its admin signed in. */
export async function startBothBackends(options: StartOptions = {}): Promise<Sides> {
  const [local, real] = await Promise.all((['local', 'real'] as const).map((kind) => startSide(kind, options)));
  return {
    local: local as Side,
    real: real as Side,
    async stop() {
      await Promise.all([local?.backend.stop(), real?.backend.stop()]);
    },
  };
}

async function startSide(kind: BackendKind, options: StartOptions): Promise<Side> {
  const backend = await startTestBackend({ kind });
  if (options.fhirQuota !== undefined) {
    await backend.setFhirQuota(options.fhirQuota);
  }
  return { kind, backend, admin: await signInAsAdmin(backend) };
}

/** Runs one scenario on both sides at once; each side's answer is normalized by the scenario itself. */
export async function onBoth<T>(sides: Sides, scenario: (side: Side) => Promise<T>): Promise<{ local: T; real: T }> {
  const [local, real] = await Promise.all([scenario(sides.local), scenario(sides.real)]);
  return { local, real };
}

/**
 * Fails unless the local answer equals the real one; the message shows both. Returns the real
 * answer so a test can pin it as well.
 */
export function expectSameAnswer<T>(answers: { local: T; real: T }, what: string): T {
  expect(
    answers.local,
    `${what}: the local server differs from a real Medplum\n  local: ${JSON.stringify(answers.local)}\n  real:  ${JSON.stringify(answers.real)}`
  ).toEqual(answers.real);
  return answers.real;
}

/** One HTTP exchange as seen on the wire. */
export interface Exchange {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/**
 * A raw FHIR/admin request with the client's token: statuses and headers as sent, errors not
 * thrown (MedplumClient would throw, retry 429s and cache reads).
 */
export async function send(
  client: MedplumClient,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {}
): Promise<Exchange> {
  const response = await fetch(new URL(path, client.getBaseUrl()), {
    method,
    headers: {
      Accept: 'application/fhir+json',
      Authorization: `Bearer ${client.getAccessToken()}`,
      ...(body === undefined ? undefined : { 'Content-Type': 'application/fhir+json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** Status and, for an OperationOutcome, its issue codes and texts: what an error means, not its ids. */
export function outcomeOf(exchange: Exchange): { status: number; issues?: string[] } {
  const body = exchange.body as Partial<OperationOutcome> | undefined;
  if (body?.resourceType !== 'OperationOutcome') {
    return { status: exchange.status };
  }
  return { status: exchange.status, issues: issuesOf(body as OperationOutcome) };
}

export function issuesOf(outcome: OperationOutcome | undefined): string[] {
  return (outcome?.issue ?? []).map((issue) =>
    [issue.severity, issue.code, issue.details?.text, issue.expression?.join(',')].filter(Boolean).join(' | ')
  );
}

/** The sorted names (patients' family names, clinics' names) of a searchset's resources. */
export function namesIn(bundle: Bundle | undefined): string[] {
  return (bundle?.entry ?? []).map((entry) => nameOf(entry.resource)).sort();
}

export function nameOf(resource: Resource | undefined): string {
  if (!resource) {
    return '(none)';
  }
  if ('name' in resource) {
    const name = resource.name as unknown;
    if (typeof name === 'string') {
      return name;
    }
    if (Array.isArray(name)) {
      const first = name[0] as { family?: string } | undefined;
      if (first?.family) {
        return first.family;
      }
    }
  }
  if (resource.resourceType === 'Observation' || resource.resourceType === 'Encounter') {
    const coded = resource.resourceType === 'Observation' ? resource.code?.text : resource.type?.[0]?.text;
    return `${resource.resourceType}:${coded ?? ''}`;
  }
  return resource.resourceType;
}

/** Points left this minute, from `RateLimit: "fhirInteractions";r=<points>;t=<seconds>`. */
export function fhirPointsLeft(headers: Headers): { remaining: number; resetSeconds: number } | undefined {
  const match = /"fhirInteractions";r=(\d+);t=(\d+)/.exec(headers.get('ratelimit') ?? '');
  return match ? { remaining: Number(match[1]), resetSeconds: Number(match[2]) } : undefined;
}

/** A unique suffix so names from one run never meet names from another on the shared real server. */
export function runTag(): string {
  return Math.random().toString(36).slice(2, 8);
}
