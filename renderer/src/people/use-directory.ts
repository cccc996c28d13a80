import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';

/** Every clinician of the project, searched on the server as the administrator types. */
export function useDirectory() {
  const api = useApi();
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);
  const query = useApiQuery(() => api.listDirectory(debouncedSearch ? { search: debouncedSearch } : {}), [api, debouncedSearch]);
  return { search, setSearch, searched: debouncedSearch, ...query };
}

export function countClinicians(count: number): string {
  return `${count.toLocaleString()} ${count === 1 ? 'clinician' : 'clinicians'}`;
}
