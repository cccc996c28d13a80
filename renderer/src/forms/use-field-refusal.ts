import { useEffect, useRef } from 'react';

/**
 * Clears a refusal from main once the field it concerns changes: "This MRN is taken" must not
 * stay under an MRN the administrator has since corrected.
 */
export function useClearRefusalOnChange(error: { field?: string } | null, clear: () => void, values: object): void {
  const seen = useRef<{ error: object; value: unknown } | null>(null);
  const field = error?.field;
  const value = field ? (values as Record<string, unknown>)[field] : undefined;
  useEffect(() => {
    if (!error || !field) {
      seen.current = null;
      return;
    }
    if (seen.current?.error !== error) {
      seen.current = { error, value };
      return;
    }
    if (!Object.is(seen.current.value, value)) clear();
  }, [error, field, value, clear]);
}
