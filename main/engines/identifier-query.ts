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
