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

export function readRosterHeader(fields: readonly string[], line: number, kind?: RosterKind): RosterHeader {
  const names = fields.map((field) => field.trim());
  const resolved = kind ?? detectRosterKind(names);
  if (!resolved) {
    throw new RosterFileError(
      `Line ${line}, the header, has neither an mrn column (a patient roster) nor an email or npi column (a practitioner roster). Check that the first line names the columns, or say which kind of roster this is.`,
      { line },
    );
  }
  const positions = new Map<string, number>();
  const unknown: string[] = [];
  names.forEach((name, index) => {
    const key = columnKeyOf(resolved, name);
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
