import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useRouteState } from '../api/use-route-state';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';

/** Every clinician of the project, searched on the server as the administrator types. */
export function useDirectory() {
  const api = useApi();
  // What was searched lives in the route, so Back and reload find the same clinicians.
  const [routeSearch, setRouteSearch] = useRouteState('q', '');
  const [search, setSearch] = useState(routeSearch);
  const [debounced] = useDebouncedValue(search.trim(), 300);
  useEffect(() => {
    if (debounced !== routeSearch) setRouteSearch(debounced);
  }, [debounced]);
  const debouncedSearch = routeSearch;
  const query = useApiQuery(() => api.listDirectory(debouncedSearch ? { search: debouncedSearch } : {}), [api, debouncedSearch]);
  return { search, setSearch, searched: debouncedSearch, ...query };
}

export function countClinicians(count: number): string {
  return `${count.toLocaleString()} ${count === 1 ? 'clinician' : 'clinicians'}`;
}
