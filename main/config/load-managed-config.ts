/**
 * Reads and checks the managed configuration. The answer is either the configuration, or a
 * plain report of what is wrong (with the line where possible), in which case nothing of the
 * file applies: a half-applied policy would be worse than none.
 */
import type { z } from 'zod';
import { type TextPosition, jsonValueOffsets, positionAt } from './json-locations';
import { type ManagedConfig, NO_MANAGED_CONFIG, managedConfigSchema } from './managed-config-schema';

export type ManagedConfigResult =
  | { status: 'none'; path: string }
  | { status: 'applied'; path: string; config: ManagedConfig }
  | { status: 'invalid'; path: string; problems: string[] };

/** The largest file read; a managed configuration is a few kilobytes. */
const MAX_BYTES = 1024 * 1024;

export type ReadText = (path: string) => Promise<string>;

export async function loadManagedConfig(path: string, readText: ReadText): Promise<ManagedConfigResult> {
  let text: string;
  try {
    text = await readText(path);
  } catch (error) {
    return unreadable(path, error);
  }
  return parseManagedConfig(path, text);
}

/** The same, synchronously: the app reads it once before anything else starts. */
export function loadManagedConfigSync(path: string, readTextSync: (path: string) => string): ManagedConfigResult {
  let text: string;
  try {
    text = readTextSync(path);
  } catch (error) {
    return unreadable(path, error);
  }
  return parseManagedConfig(path, text);
}

function unreadable(path: string, error: unknown): ManagedConfigResult {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'none', path };
  return { status: 'invalid', path, problems: [`The file could not be read (${code ?? 'unknown error'}).`] };
}

export function parseManagedConfig(path: string, text: string): ManagedConfigResult {
  if (text.length > MAX_BYTES) return { status: 'invalid', path, problems: ['The file is larger than 1 MB; a managed configuration is a few kilobytes.'] };
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { status: 'invalid', path, problems: [describeSyntaxError(text, error as Error)] };
  }
  const parsed = managedConfigSchema.safeParse(json);
  if (parsed.success) return { status: 'applied', path, config: parsed.data };
  const offsets = jsonValueOffsets(text.replace(/^\uFEFF/, ''));
  return { status: 'invalid', path, problems: parsed.error.issues.map((issue) => describeIssue(text, offsets, issue)) };
}

/** The configuration in force: the file's when it applied, otherwise nothing managed. */
export function managedConfigInForce(result: ManagedConfigResult): ManagedConfig {
  return result.status === 'applied' ? result.config : NO_MANAGED_CONFIG;
}

function describeSyntaxError(text: string, error: Error): string {
  // V8 says "... at position 123 (line 4 column 5)" or "... at position 123"; the offset is enough.
  const offset = /position (\d+)/.exec(error.message)?.[1];
  const where = offset !== undefined ? ` at ${formatPosition(positionAt(text, Number(offset)))}` : '';
  const what = /^Unexpected end/i.test(error.message) ? 'the file ends too early' : 'it is not valid JSON';
  return `The file cannot be read as JSON${where}: ${what}.`;
}

function describeIssue(text: string, offsets: Map<string, number>, issue: z.core.$ZodIssue): string {
  const segments = issue.path.map(String);
  const name = segments.length ? segments.map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`)).join('').replace(/^\./, '') : 'the file';
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const keyOffset = keys[0] !== undefined ? offsets.get([...segments, keys[0]].join('/')) : undefined;
  // Walk up to the nearest value that exists in the text (a missing key is reported on its parent).
  let offset = keyOffset;
  for (let length = segments.length; offset === undefined && length >= 0; length--) offset = offsets.get(segments.slice(0, length).join('/'));
  const where = offset !== undefined ? ` (${formatPosition(positionAt(text, offset))})` : '';
  if (issue.code === 'unrecognized_keys') {
    return `${name}${where}: unknown setting${keys.length > 1 ? 's' : ''} ${keys.map((key) => `“${key}”`).join(', ')}; secrets and unknown settings are not allowed.`;
  }
  // A value the file does not have at all is missing, whatever the check that noticed it.
  const missing = segments.length > 0 && !offsets.has(segments.join('/'));
  if (missing && ['invalid_type', 'invalid_value', 'invalid_union'].includes(issue.code)) return `${name}${where}: is required.`;
  return `${name}${where}: ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}.`;
}

function formatPosition(position: TextPosition): string {
  return `line ${position.line}, column ${position.column}`;
}
