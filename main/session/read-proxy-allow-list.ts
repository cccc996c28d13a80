/**
 * What the window's @medplum/react components may ask the server through the read proxy. The
 * screens today send only reads by id (ResourceBadge: `Patient/<id>`, `Practitioner/<id>`,
 * `Organization/<id>`); searches are allowed with the plain parameters of each type below and
 * the paging and shaping parameters, so a future SearchControl works and the server's own
 * `next` links pass. Everything else is refused, because a readable type's URL can otherwise
 * search other types: `_type`, `_has`, chained parameters (`a.b`, `a:Type.b`), `_filter`,
 * `_include`/`_revinclude`, `_query`, and any parameter not listed.
 * docs/security.md ("The read proxy's allow-list") explains each choice.
 */

/** Search parameters per type: the type's own fields, none of which can name another type's data. */
const SEARCH_PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  Patient: ['name', 'family', 'given', 'birthdate', 'gender', 'identifier', 'active', 'organization', 'general-practitioner'],
  Practitioner: ['name', 'family', 'given', 'identifier', 'active'],
  Organization: ['name', 'identifier', 'active', 'type', 'partof'],
  Observation: ['subject', 'patient', 'encounter', 'code', 'category', 'date', 'status'],
  Encounter: ['subject', 'patient', 'date', 'status', 'class', 'service-provider'],
  DiagnosticReport: ['subject', 'patient', 'encounter', 'code', 'category', 'date', 'status'],
  Communication: ['subject', 'patient', 'encounter', 'category', 'sent', 'status'],
  Condition: ['subject', 'patient', 'encounter', 'code', 'category', 'clinical-status', 'onset-date'],
  Consent: ['patient', 'organization', 'category', 'status', 'date'],
};

/** What the screens show: people, clinics and clinical records. */
export const READABLE_TYPES: ReadonlySet<string> = new Set(Object.keys(SEARCH_PARAMETERS));

/** Parameters every search of a readable type may use (alongside the type's own). */
const COMMON_SEARCH_PARAMETERS = ['_id', '_lastUpdated'];

/** Reference parameters, whose values must point at a readable type (`Type/id`, comma-separated). */
const REFERENCE_PARAMETERS = new Set(['organization', 'general-practitioner', 'partof', 'subject', 'patient', 'encounter', 'service-provider']);

/** Modifiers that narrow a match on the same field; type modifiers (`:Patient`) would start a chain. */
const MODIFIERS = new Set(['exact', 'contains', 'missing', 'not']);

// A Medplum id, with at least one letter or digit: "." and ".." are never ids (a proxy in front of
// the server could read them as path steps).
const ID = /^(?=.*[A-Za-z0-9])[A-Za-z0-9\-.]{1,64}$/;
const ELEMENT = /^[A-Za-z][A-Za-z0-9]*$/;

type ValueCheck = (value: string) => boolean;

/** Paging and shaping: each with the values it may take. */
const RESULT_PARAMETERS: Readonly<Record<string, ValueCheck>> = {
  _count: (v) => /^\d{1,4}$/.test(v) && Number(v) <= 1000,
  _offset: (v) => /^\d{1,7}$/.test(v),
  // The server's own paging token in `next` links.
  _cursor: (v) => /^[A-Za-z0-9\-_.~=+/]{1,512}$/.test(v),
  _total: (v) => ['none', 'estimate', 'accurate'].includes(v),
  _summary: (v) => ['true', 'false', 'count', 'data', 'text'].includes(v),
  _elements: (v) => v.split(',').every((name) => ELEMENT.test(name)),
};

/** Reads by id (and history) take only the shaping parameters. */
const READ_PARAMETERS = new Set(['_elements', '_summary']);

/**
 * The request's path below `fhir/R4/` as a read (`Type/id`, `Type/id/_history[/vid]`) or a search
 * (`Type`) of a readable type, with every query parameter allowed for it.
 */
export function isAllowedRequest(segments: readonly string[], query: URLSearchParams): boolean {
  const [resourceType, id, history, versionId, ...rest] = segments;
  if (!resourceType || !READABLE_TYPES.has(resourceType) || rest.length > 0) {
    return false;
  }
  if (id === undefined) {
    return [...query.entries()].every(([name, value]) => isAllowedSearchParameter(resourceType, name, value));
  }
  const pathIsRead = ID.test(id) && (history === undefined || (history === '_history' && (versionId === undefined || ID.test(versionId))));
  return pathIsRead && [...query.entries()].every(([name, value]) => READ_PARAMETERS.has(name) && RESULT_PARAMETERS[name]?.(value) === true);
}

function isAllowedSearchParameter(resourceType: string, name: string, value: string): boolean {
  const resultCheck = RESULT_PARAMETERS[name];
  if (resultCheck) {
    return resultCheck(value);
  }
  if (name === '_sort') {
    return value.split(',').every((rule) => isTypeParameter(resourceType, rule.replace(/^-/, '')));
  }
  if (name === '_compartment') {
    return isReadableReferenceList(value, ['Organization', 'Patient']);
  }
  const [code = '', modifier, ...more] = name.split(':');
  if (more.length > 0 || (modifier !== undefined && !MODIFIERS.has(modifier)) || !isTypeParameter(resourceType, code)) {
    return false;
  }
  return !REFERENCE_PARAMETERS.has(code) || modifier === 'missing' || isReadableReferenceList(value, [...READABLE_TYPES]);
}

function isTypeParameter(resourceType: string, code: string): boolean {
  return COMMON_SEARCH_PARAMETERS.includes(code) || (SEARCH_PARAMETERS[resourceType]?.includes(code) ?? false);
}

function isReadableReferenceList(value: string, types: readonly string[]): boolean {
  return value.split(',').every((reference) => {
    const [type, id, ...rest] = reference.split('/');
    return rest.length === 0 && type !== undefined && types.includes(type) && id !== undefined && ID.test(id);
  });
}
