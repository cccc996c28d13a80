/**
 * A server-paged list with a search box: the search is debounced and sent to main, and a new
 * search goes back to the first page.
 */
import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useState } from 'react';
import type { Envelope } from '../../../preload/api/contract';
import { type ApiQuery, useApiQuery } from './use-api-query';

export type PatientSort = 'name' | '-name' | 'birthdate' | '-birthdate';

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
  const [search, setSearchText] = useState('');
  const [searched] = useDebouncedValue(search.trim(), 300);
  const [sort, setSortKey] = useState<PatientSort>('name');
  const [page, setPage] = useState(1);
  const offset = (page - 1) * pageSize;
  const query = useApiQuery(
    () => load({ offset, count: pageSize, sort, ...(searched ? { search: searched } : {}) }),
    [...deps, offset, searched, sort, pageSize],
  );
  const setSearch = useCallback((value: string) => {
    setSearchText(value);
    setPage(1);
  }, []);
  const setSort = useCallback((value: PatientSort) => {
    setSortKey(value);
    setPage(1);
  }, []);
  return { search, setSearch, searched, sort, setSort, page, setPage, offset, query };
}
