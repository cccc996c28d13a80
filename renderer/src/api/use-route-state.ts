/**
 * A list's place (search, page, sort, tab) kept in the route's query string, so Back and reload
 * return to the same rows. Values are replaced in place: typing does not add history entries.
 */
import { useCallback, useRef } from 'react';
import { useSearchParams } from 'react-router';

export function useRouteState(key: string, fallback: string): [string, (value: string) => void] {
  const [params, setParams] = useSearchParams();
  // The newest parameters and setter: a control may call back with a setter from an older render
  // (Mantine's pagination keeps its first onChange), which would drop what changed since.
  const latest = useRef({ params, setParams });
  latest.current = { params, setParams };
  const value = params.get(key) ?? fallback;
  const set = useCallback(
    (next: string) => {
      const updated = new URLSearchParams(latest.current.params);
      if (next === fallback || next === '') updated.delete(key);
      else updated.set(key, next);
      // A new search or sort starts again at the first page.
      if (key !== 'page') updated.delete('page');
      if (updated.toString() !== latest.current.params.toString()) latest.current.setParams(updated, { replace: true });
    },
    [key, fallback],
  );
  return [value, set];
}
