import type { IncomingMessage, ServerResponse } from 'node:http';
import { getStatus, normalizeOperationOutcome } from '@medplum/core';
import type { OperationOutcome } from '@medplum/fhirtypes';

const MAX_BODY_BYTES = 50 * 1024 * 1024;

export type ParsedBody = unknown;

/** Reads and parses a request body: JSON (FHIR, JSON Patch) or form-encoded (OAuth, _search). */
export async function readBody(req: IncomingMessage): Promise<ParsedBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw new HttpError(413, 'Request body too large');
    }
    chunks.push(buffer);
  }
  if (size === 0) {
    return undefined;
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.includes('application/x-www-form-urlencoded')) {
    return formToRecord(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'Invalid JSON body');
  }
}

export function formToRecord(params: URLSearchParams): Record<string, string | string[]> {
  const record: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of params) {
    const existing = record[key];
    if (existing === undefined) {
      record[key] = value;
    } else if (Array.isArray(existing)) {
      existing.push(value);
    } else {
      record[key] = [existing, value];
    }
  }
  return record;
}

/** An error that carries its HTTP status; thrown by route handlers, turned into an OperationOutcome. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extraHeaders: Record<string, string> = {}
  ) {
    super(message);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
  contentType = 'application/json'
): void {
  if (res.headersSent || res.destroyed) {
    return;
  }
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    ...(text ? { 'Content-Type': `${contentType}; charset=utf-8` } : undefined),
    'Content-Length': Buffer.byteLength(text).toString(),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

export function sendOutcome(res: ServerResponse, outcome: OperationOutcome, headers: Record<string, string> = {}): void {
  sendJson(res, getStatus(outcome), outcome, headers, 'application/fhir+json');
}

/** An OperationOutcome for any thrown value, keeping the status of HttpErrors. */
export function errorToResponse(err: unknown): { status: number; outcome: OperationOutcome; headers: Record<string, string> } {
  if (err instanceof HttpError) {
    return {
      status: err.status,
      headers: err.extraHeaders,
      outcome: {
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: issueCodeFor(err.status), details: { text: err.message } }],
      },
    };
  }
  const outcome = normalizeOperationOutcome(err);
  return { status: getStatus(outcome), outcome, headers: {} };
}

function issueCodeFor(status: number): 'invalid' | 'forbidden' | 'not-found' | 'conflict' | 'login' | 'throttled' | 'exception' {
  switch (status) {
    case 400:
      return 'invalid';
    case 401:
      return 'login';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 409:
      return 'conflict';
    case 429:
      return 'throttled';
    default:
      return 'exception';
  }
}
