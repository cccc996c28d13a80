import type { ZodType } from 'zod';

function sentenceCase(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
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
    if (field) errors[field] ??= sentenceCase(issue.message);
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
