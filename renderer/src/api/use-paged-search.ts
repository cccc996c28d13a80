/**
 * A server-paged list with a search box: the search is debounced and sent to main, and a new
 * search goes back to the first page.
 */
import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useEffect, useState } from 'react';
import { useRouteState } from './use-route-state';
import type { Envelope } from '../../../preload/api/contract';
import { type ApiQuery, useApiQuery } from './use-api-query';

export type PatientSort = 'name' | '-name' | 'birthdate' | '-birthdate';
const SORTS: readonly PatientSort[] = ['name', '-name', 'birthdate', '-birthdate'];

export interface PageRequest {
  offset: number;
  count: number;
  search?: string;
  sort?: PatientSort;
}

export function usePagedSearch<T>(
  load: (request: PageRequest) => Promise<Envelope<T>>,
  deps: readonly unknown[],
  pageSize = 50,
): {
  search: string;
  setSearch: (value: string) => void;
  searched: string;
  sort: PatientSort;
  setSort: (sort: PatientSort) => void;
  page: number;
  setPage: (page: number) => void;
  offset: number;
  query: ApiQuery<T>;
} {
  // The search text is local while typing; what was searched, the page and the sort live in the route.
  const [routeSearch, setRouteSearch] = useRouteState('q', '');
  const [search, setSearchText] = useState(routeSearch);
  const [debounced] = useDebouncedValue(search.trim(), 300);
  useEffect(() => {
    if (debounced !== routeSearch) setRouteSearch(debounced);
  }, [debounced]);
  // Back, a link or a reload changed the route: the box shows what is searched.
  useEffect(() => {
    if (routeSearch !== debounced) setSearchText(routeSearch);
  }, [routeSearch]);
  const searched = routeSearch;
  const [sortText, setSortText] = useRouteState('sort', 'name');
  const sort = (SORTS.includes(sortText as PatientSort) ? sortText : 'name') as PatientSort;
  const [pageText, setPageText] = useRouteState('page', '1');
  const page = Math.max(1, Number.parseInt(pageText, 10) || 1);
  const setPage = useCallback((value: number) => setPageText(String(value)), [setPageText]);
  const offset = (page - 1) * pageSize;
  const query = useApiQuery(
    () => load({ offset, count: pageSize, sort, ...(searched ? { search: searched } : {}) }),
    [...deps, offset, searched, sort, pageSize],
  );
  const setSearch = useCallback((value: string) => setSearchText(value), []);
  const setSort = useCallback((value: PatientSort) => setSortText(value), [setSortText]);
  return { search, setSearch, searched, sort, setSort, page, setPage, offset, query };
}
