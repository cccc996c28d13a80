import type { ZodType } from 'zod';

function sentenceCase(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/**
 * Field errors from the same zod schema main checks, so the form and main never disagree.
 * The first issue of each field wins; nested paths ("clinicIds.0") land on their field.
 */
export function schemaErrors(schema: ZodType, request: unknown): Record<string, string> {
  const parsed = schema.safeParse(request);
  const errors: Record<string, string> = {};
  if (parsed.success) return errors;
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (field) errors[field] ??= sentenceCase(issue.message);
  }
  return errors;
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
