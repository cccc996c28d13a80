/**
 * `identifier=<system>|<value>` for a search or an If-None-Exist header, with FHIR's escapes
 * (a `,` `|` `$` or `\` in a value is data, not syntax) and URL encoding (a `&` in an MRN must not
 * start another search parameter).
 */
function escapeToken(text: string): string {
  return text.replace(/[\\,|$]/g, (character) => `\\${character}`);
}

export function identifierQuery(system: string, value: string): string {
  return `identifier=${encodeURIComponent(`${escapeToken(system)}|${escapeToken(value)}`)}`;
}

/** One search parameter OR-ing many tokens (`name=a,b,c`), escaped and URL-encoded as above. */
export function tokenListQuery(parameter: string, tokens: readonly string[]): string {
  return `${parameter}=${tokens.map((token) => encodeURIComponent(token)).join(',')}`;
}

/** `identifier=s|a,s|b,…`: one search that finds many identifiers (it costs what one search costs). */
export function identifierListQuery(pairs: readonly { system: string; value: string }[]): string {
  return tokenListQuery(
    'identifier',
    pairs.map((pair) => `${escapeToken(pair.system)}|${escapeToken(pair.value)}`),
  );
}

/** A token value with FHIR's search escapes, for any token parameter (`email=`…). */
export function escapedToken(value: string): string {
  return escapeToken(value);
}
