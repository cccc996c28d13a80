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
 * Input props that also show a refusal from main under the field it concerns (when the form has
 * no error of its own there). `serverField` is null when the refusal names no field.
 */
export function serverErrorProps<F extends string, P extends { error?: unknown }>(
  getInputProps: (field: F) => P,
  error: { message: string } | null,
  keywords: Readonly<Record<string, RegExp>>,
): { serverField: string | null; fieldProps: (field: F) => P } {
  const serverField = error ? fieldOfServerMessage(error.message, keywords) : null;
  return {
    serverField,
    fieldProps: (field) => {
      const props = getInputProps(field);
      return serverField === field && !props.error ? { ...props, error: error?.message } : props;
    },
  };
}

/**
 * The field a refusal from main concerns, found by the words main uses ("email", "NPI", …), so
 * the message shows under that field rather than only at the bottom of the form.
 */
export function fieldOfServerMessage(message: string, keywords: Readonly<Record<string, RegExp>>): string | null {
  for (const [field, pattern] of Object.entries(keywords)) {
    if (pattern.test(message)) return field;
  }
  return null;
}
