/**
 * The header line of a roster: which kind it is, which column holds what, and the file-level
 * problems that stop an import before any row (no known kind, a required column missing, two
 * columns that mean the same thing).
 */
import { type RosterKind, columnKeyOf, columnsOf, detectRosterKind } from '../../../preload/api/roster/columns';
import type { RosterIssue } from './roster-issue';
import { RosterFileError } from './roster-file-error';

export interface RosterHeader {
  readonly kind: RosterKind;
  /** Column key → its 0-based index in each record. */
  readonly positions: ReadonlyMap<string, number>;
  /** Header names as written, by index (for messages). */
  readonly names: readonly string[];
  readonly warnings: readonly RosterIssue[];
}

/**
 * The user's corrections of the mapping (the app's import wizard): a header name as the file
 * writes it (trimmed) → the column key it stands for, or '' to ignore that column. Names not
 * listed are mapped by the format's names and aliases.
 */
export type ColumnOverrides = Readonly<Record<string, string>>;

export function readRosterHeader(fields: readonly string[], line: number, kind?: RosterKind, overrides: ColumnOverrides = {}): RosterHeader {
  const names = fields.map((field) => field.trim());
  const overridden = (name: string) => (Object.hasOwn(overrides, name) ? overrides[name] : undefined);
  const resolved = kind ?? detectRosterKind(names.map((name) => overridden(name) ?? name));
  if (!resolved) {
    throw new RosterFileError(
      `Line ${line}, the header, has neither an mrn column (a patient roster) nor an email or npi column (a practitioner roster). Check that the first line names the columns, or say which kind of roster this is.`,
      { line },
    );
  }
  const positions = new Map<string, number>();
  const unknown: string[] = [];
  names.forEach((name, index) => {
    const chosen = overridden(name);
    const key = chosen === undefined ? columnKeyOf(resolved, name) : columnKeyOf(resolved, chosen);
    if (chosen === '') return;
    if (!key) {
      if (name !== '') unknown.push(name);
      return;
    }
    const earlier = positions.get(key);
    if (earlier !== undefined) {
      throw new RosterFileError(
        `Line ${line}, the header, has two columns for ${key}: column ${earlier + 1} (${names[earlier]}) and column ${index + 1} (${name}). Keep one of them.`,
        { line, column: name },
      );
    }
    positions.set(key, index);
  });
  const missing = columnsOf(resolved).filter((column) => column.required && !positions.has(column.key));
  if (missing.length > 0) {
    const list = missing.map((column) => column.key).join(', ');
    throw new RosterFileError(
      `Line ${line}, the header, lacks the required column${missing.length > 1 ? 's' : ''} ${list} of a ${resolved === 'patients' ? 'patient' : 'practitioner'} roster. Add ${missing.length > 1 ? 'them' : 'it'} (see the format page); nothing was imported.`,
      { line },
    );
  }
  const warnings: RosterIssue[] = unknown.length
    ? [{ severity: 'warning', line, message: `These columns are not part of the roster format and are ignored: ${unknown.join(', ')}.` }]
    : [];
  return { kind: resolved, positions, names, warnings };
}
