import type { Filter, SearchRequest, SortRule, WithId } from '@medplum/core';
import {
  badRequest,
  deepClone,
  evalFhirPath,
  globalSchema,
  LRUCache,
  matchesSearchRequest,
  OperationOutcomeError,
  Operator,
  parseFhirPath,
  parseSearchRequest,
} from '@medplum/core';
import type { FhirPathAtom } from '@medplum/core';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { isEscapedTokenFilter, matchesEscapedToken } from './escaped-token-filter';
import { identifierPrefilter } from './identifier-prefilter';

export type ResourceMaps = Map<string, Map<string, Resource>>;

/** A chained filter (`subject.name=x`), as MemoryRepository splits it off the plain filters. */
interface ChainedFilter {
  readonly expression: string;
  readonly targetType: string;
  readonly chained: SearchRequest;
}

/** Parsed FHIRPath of search parameter expressions: parsed once per process, not per resource. */
const expressionCache = new LRUCache<FhirPathAtom>(1000);

function compiled(expression: string): FhirPathAtom {
  let atom = expressionCache.get(expression);
  if (!atom) {
    atom = parseFhirPath(expression);
    expressionCache.set(expression, atom);
  }
  return atom;
}

/**
 * `localeCompare` without arguments is specified (ECMA-402) to compare as a default
 * `Intl.Collator` does; one collator for every comparison avoids the per-call set-up.
 */
const collator = new Intl.Collator();

/**
 * MemoryRepository's search (fhir-router 5.2, `searchSync`), with the same results and order but
 * without its per-search waste:
 *
 * - it evaluated (and re-parsed) the sort expression for both sides of every comparison; here each
 *   match's sort key (`JSON.stringify` of the expression's values, compared with `localeCompare`,
 *   as there) is computed once per search (decorate-sort-undecorate);
 * - it deep-cloned every match before paging; here only the returned page is cloned;
 * - `visible`, when given, drops matches before sorting, paging and counting (access policies):
 *   a stable sort of the visible ones is the visible part of a stable sort of all of them.
 *
 * MemoryRepository sorts once per sort rule, each a stable sort of the previous result, so the
 * **last** rule decides first and the earlier ones break its ties (`_sort=family,given` orders by
 * given name, then family), then store (insertion) order. A rule whose code is not a search
 * parameter of the type leaves the order as it is. Both are kept exactly.
 *
 * `visible` sees the stored resources themselves and must not change them.
 */
export function searchStore<T extends Resource>(
  resources: ResourceMaps,
  request: SearchRequest<T>,
  visible?: (resource: WithId<Resource>) => boolean
): Bundle<WithId<T>> {
  const { resourceType } = request;
  const byId = resources.get(resourceType) ?? new Map<string, Resource>();
  const plain: Filter[] = [];
  const chained: ChainedFilter[] = [];
  const escaped: Filter[] = [];
  for (const filter of request.filters ?? []) {
    const chain = parseChainedFilter(resourceType, filter);
    if (chain) {
      chained.push(chain);
    } else if (isEscapedTokenFilter(resourceType, filter)) {
      escaped.push(filter);
    } else {
      plain.push(filter);
    }
  }
  const candidate = identifierPrefilter(resourceType, plain);
  const rest = candidate?.decided ? plain.filter((filter) => filter !== candidate.decided) : plain;
  const matchRequest = chained.length || escaped.length || rest !== plain ? { ...request, filters: rest } : request;

  const matches: WithId<T>[] = [];
  for (const resource of byId.values()) {
    if (
      (!candidate || candidate.test(resource)) &&
      matchesSearchRequest(resource, matchRequest) &&
      chained.every((chain) => matchesChainedFilter(resources, resource, chain)) &&
      escaped.every((filter) => matchesEscapedToken(resource, filter)) &&
      (!visible || visible(resource as WithId<Resource>))
    ) {
      matches.push(resource as WithId<T>);
    }
  }

  // Paged exactly as MemoryRepository pages (two slices), then only the page is copied.
  let page = sortMatches(resourceType, matches, request.sortRules ?? []);
  if (request.offset !== undefined) {
    page = page.slice(request.offset);
  }
  if (request.count !== undefined) {
    page = page.slice(0, request.count);
  }
  const entry: BundleEntry<WithId<T>>[] = page.map((resource) => ({
    search: { mode: 'match' },
    resource: deepClone(resource),
  }));
  return { resourceType: 'Bundle', type: 'searchset', entry: entry.length ? entry : undefined, total: matches.length };
}

/** The matches in Medplum's order for these rules; `matches` itself is left as it is. */
function sortMatches<T extends Resource>(resourceType: string, matches: readonly T[], rules: readonly SortRule[]): T[] {
  const searchParams = globalSchema.types[resourceType]?.searchParams;
  // First rule first, as Medplum orders (`_sort=family,given`: by family, then given). fhir-router's
  // MemoryRepository sorts once per rule, which lets the last rule decide first.
  const keyed = rules
    .map((rule) => ({ rule, expression: searchParams?.[rule.code]?.expression }))
    .filter((k): k is { rule: SortRule; expression: string } => !!k.expression);
  if (!keyed.length || matches.length < 2) {
    return [...matches];
  }
  const atoms = keyed.map((k) => compiled(k.expression));
  const signs = keyed.map((k) => (k.rule.descending ? -1 : 1));
  const decorated = matches.map((resource, index) => ({
    resource,
    index,
    keys: atoms.map((atom) => JSON.stringify(evalFhirPath(atom, resource))),
  }));
  decorated.sort((a, b) => {
    for (let i = 0; i < atoms.length; i++) {
      const order = collator.compare(a.keys[i] as string, b.keys[i] as string);
      if (order !== 0) {
        return order * (signs[i] as number);
      }
    }
    return a.index - b.index;
  });
  return decorated.map((d) => d.resource);
}

/** fhir-router's private `parseChainedFilter`: the same splits and the same errors. */
function parseChainedFilter(resourceType: string, filter: Filter): ChainedFilter | undefined {
  const dot = filter.code.indexOf('.');
  if (dot < 0 || filter.code.startsWith('_has:')) {
    return undefined;
  }
  if (filter.operator !== Operator.EQUALS) {
    throw new Error('MemoryRepository does not support this chained filter yet.');
  }
  const link = filter.code.slice(0, dot);
  const rest = filter.code.slice(dot + 1);
  const colon = link.indexOf(':');
  const code = colon < 0 ? link : link.slice(0, colon);
  const searchParam = globalSchema.types[resourceType]?.searchParams?.[code];
  if (colon === -1 && searchParam?.target?.length !== 1) {
    throw new OperationOutcomeError(
      badRequest(`Unable to identify next resource type for search parameter: ${resourceType}?${code}`)
    );
  }
  const targetType = colon < 0 ? searchParam?.target?.[0] : link.slice(colon + 1);
  if (!searchParam?.expression || !targetType) {
    return undefined;
  }
  return {
    expression: searchParam.expression,
    targetType,
    chained: parseSearchRequest(targetType, { [rest]: filter.value }),
  };
}

/** fhir-router's private `matchesChainedFilter`, with the expression parsed once. */
function matchesChainedFilter(resources: ResourceMaps, resource: Resource, chain: ChainedFilter): boolean {
  for (const value of evalFhirPath(compiled(chain.expression), resource)) {
    const [type, id] = (value as { reference?: string } | undefined)?.reference?.split('/') ?? [];
    if (type !== chain.targetType || !id) {
      continue;
    }
    const target = resources.get(type)?.get(id);
    if (target && matchesSearchRequest(target, chain.chained)) {
      return true;
    }
  }
  return false;
}
