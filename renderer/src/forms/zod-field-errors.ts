import type { ZodType } from 'zod';

/**
 * Runs the same zod schema main checks and turns its issues into form field errors, so the form
 * and main never disagree. `rename` maps a schema path ("identifier.system") to a form field.
 */
export function zodFieldErrors(schema: ZodType, value: unknown, rename: Record<string, string> = {}): Record<string, string> {
  const parsed = schema.safeParse(value);
  const errors: Record<string, string> = {};
  if (parsed.success) return errors;
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String).join('.');
    const field = rename[path] ?? path;
    errors[field] ??= issue.message.charAt(0).toUpperCase() + issue.message.slice(1);
  }
  return errors;
}
