/**
 * Token searches whose values carry FHIR's escapes (`identifier=sys|A\,1\|x`: a `,` `|` `$` or
 * `\` that is data). Medplum honours them; @medplum/core's in-memory matching splits the value on
 * every `|`, so an escaped MRN never matched its own patient here. Such filters are matched by
 * this module instead: the value split on unescaped `,` into alternatives, each on its first
 * unescaped `|` into system and value, then compared exactly with the parameter's values.
 */
import type { Filter } from '@medplum/core';
import { Operator, evalFhirPath, getSearchParameter } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';

/**
 * Splits on `separator` where it is not escaped (at most `limit` parts). `keepEscapes` leaves the
 * backslashes in the parts, for a later split on another separator.
 */
function splitUnescaped(text: string, separator: string, options: { limit?: number; keepEscapes?: boolean } = {}): string[] {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const parts: string[] = [];
  let current = '';
  let escaping = false;
  for (const character of text) {
    if (escaping) {
      current += options.keepEscapes ? `\\${character}` : character;
      escaping = false;
    } else if (character === '\\') {
      escaping = true;
    } else if (character === separator && parts.length < limit - 1) {
      parts.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  parts.push(current);
  return parts;
}

export function isEscapedTokenFilter(resourceType: string, filter: Filter): boolean {
  if (!filter.value.includes('\\') || filter.operator !== Operator.EQUALS) return false;
  return getSearchParameter(resourceType, filter.code)?.type === 'token';
}

interface TokenValue {
  system?: string;
  value?: string;
}

function tokenValuesOf(resource: Resource, expression: string): TokenValue[] {
  const values: TokenValue[] = [];
  for (const item of evalFhirPath(expression, resource) as unknown[]) {
    if (typeof item === 'string') values.push({ value: item });
    else if (item && typeof item === 'object') {
      const record = item as { system?: string; value?: string; code?: string };
      values.push({ ...(record.system ? { system: record.system } : {}), ...((record.value ?? record.code) ? { value: record.value ?? record.code } : {}) });
    }
  }
  return values;
}

export function matchesEscapedToken(resource: Resource, filter: Filter): boolean {
  const parameter = getSearchParameter(resource.resourceType, filter.code);
  if (!parameter?.expression) return false;
  const values = tokenValuesOf(resource, parameter.expression);
  return splitUnescaped(filter.value, ',', { keepEscapes: true }).some((alternative) => {
    const [first, second] = splitUnescaped(alternative, '|', { limit: 2 }) as [string, string | undefined];
    if (second === undefined) return values.some((candidate) => candidate.value === first);
    return values.some((candidate) => (candidate.system ?? '') === first && candidate.value === second);
  });
}
