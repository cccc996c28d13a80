import type { ZodType } from 'zod';

function sentenceCase(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/**
 * An issue in the administrator's words: zod's own wording ("Too big: expected string to have
 * <=200 characters") is for developers. Our schemas' own messages are kept.
 */
function wordsOf(issue: { code: string; message: string; origin?: unknown; maximum?: unknown; minimum?: unknown }): string {
  if (issue.code === 'too_big' && issue.origin === 'string') return `At most ${String(issue.maximum)} characters`;
  if (issue.code === 'too_big' && issue.origin === 'array') return `At most ${String(issue.maximum)}`;
  if (issue.code === 'too_small' && issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'Is required' : `At least ${String(issue.minimum)} characters`;
  if (issue.code === 'invalid_type') return 'Is required';
  return sentenceCase(issue.message);
}

/**
 * Field errors from the same zod schema main checks, so the form and main never disagree. The
 * first issue of each field wins. A nested path lands on its top field ("clinicIds.0" on
 * "clinicIds") unless `rename` maps the whole path ("identifier.system") to a form field.
 */
export function zodFieldErrors(schema: ZodType, value: unknown, rename: Readonly<Record<string, string>> = {}): Record<string, string> {
  const parsed = schema.safeParse(value);
  const errors: Record<string, string> = {};
  if (parsed.success) return errors;
  for (const issue of parsed.error.issues) {
    const path = issue.path.map(String);
    const field = rename[path.join('.')] ?? path[0] ?? '';
    if (field) errors[field] ??= wordsOf(issue as Parameters<typeof wordsOf>[0]);
  }
  return errors;
}

/**
 * Input props that also show a refusal from main under the field it concerns. Main decides the
 * field from what the server said (`error.field`); the form only lists the fields it has, and a
 * refusal about a field it lacks stays in the notice under the form. `serverField` is null then.
 */
export function serverErrorProps<F extends string, P extends { error?: unknown }>(
  getInputProps: (field: F) => P,
  error: { message: string; field?: string } | null,
  fields: readonly F[],
): { serverField: F | null; fieldProps: (field: F) => P } {
  const serverField = error?.field && (fields as readonly string[]).includes(error.field) ? (error.field as F) : null;
  return {
    serverField,
    fieldProps: (field) => {
      const props = getInputProps(field);
      return serverField === field && !props.error ? { ...props, error: error?.message } : props;
    },
  };
}
