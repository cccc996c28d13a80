/**
 * Validates a roster file with no network: encoding, delimiter, header, every value of every row,
 * and contradictions between rows. Streams the file with bounded memory; each valid row goes to
 * `onRow` (the planner, or nothing for `mso-admin validate`).
 */
import type { RosterKind } from '../../../preload/api/roster/columns';
import { decodeUtf8 } from '../csv/decode-utf8';
import type { Delimiter } from '../csv/detect-delimiter';
import { readCsvBatches } from '../csv/read-records';
import { checkRow, type RowContext } from './check-row';
import { PersonTracker } from './person-tracker';
import { type ColumnOverrides, type RosterHeader, readRosterHeader } from './roster-header';
import type { RosterIssue } from './roster-issue';
import { RosterFileError } from './roster-file-error';
import type { RosterRow } from './roster-rows';

export interface ValidateOptions {
  /** The kind the user chose; detected from the header when absent. */
  readonly kind?: RosterKind;
  /** The user's corrections of the column mapping (header name → column key, '' to ignore). */
  readonly columnOverrides?: ColumnOverrides;
  /** The connection's MRN system, for patient rows that name none. */
  readonly defaultMrnSystem: string;
  /** Today as YYYY-MM-DD (a clock argument, so tests and the command line agree on it). */
  readonly today: string;
  readonly onRow?: (row: RosterRow) => void | Promise<void>;
  /** Called every so many rows, for progress. */
  readonly onProgress?: (rowsRead: number) => void;
  readonly signal?: AbortSignal;
}

export interface RosterValidation {
  /** Undefined when the file could not be read far enough to know. */
  readonly kind?: RosterKind;
  readonly delimiter?: Delimiter;
  /** Data rows read (blank lines not counted). */
  readonly rows: number;
  readonly validRows: number;
  readonly errorRows: number;
  /** Errors and warnings, by line. */
  readonly issues: readonly RosterIssue[];
  /** What stopped the whole file (nothing is imported then). */
  readonly fileError?: { readonly message: string; readonly line?: number };
  /** The header's columns by key: the name as the file writes it and its 1-based position. */
  readonly columns?: Readonly<Record<string, { readonly name: string; readonly number: number }>>;
}

const PROGRESS_EVERY = 5_000;

function columnsOf(header: RosterHeader): Record<string, { name: string; number: number }> {
  return Object.fromEntries([...header.positions].map(([key, index]) => [key, { name: header.names[index] ?? key, number: index + 1 }]));
}

export async function validateRoster(bytes: AsyncIterable<Uint8Array>, options: ValidateOptions): Promise<RosterValidation> {
  const issues: RosterIssue[] = [];
  let delimiter: Delimiter | undefined;
  let header: RosterHeader | undefined;
  let headerLine = 1;
  let rows = 0;
  let validRows = 0;
  let errorRows = 0;
  let tracker: PersonTracker | undefined;
  let context: RowContext | undefined;
  const summary = (fileError?: RosterValidation['fileError']): RosterValidation => ({
    ...(header ? { kind: header.kind, columns: columnsOf(header) } : {}),
    ...(delimiter ? { delimiter } : {}),
    rows,
    validRows,
    errorRows,
    issues,
    ...(fileError ? { fileError } : {}),
  });
  try {
    for await (const batch of readCsvBatches(decodeUtf8(bytes), (found) => (delimiter = found))) {
      options.signal?.throwIfAborted();
      for (const record of batch) {
        if (!header) {
          header = readRosterHeader(record.fields, record.line, options.kind, options.columnOverrides);
          headerLine = record.line;
          issues.push(...header.warnings);
          context = { header, defaultMrnSystem: options.defaultMrnSystem, today: options.today };
          continue;
        }
        rows++;
        const checked = checkRow(context as RowContext, record.line, record.fields);
        if (checked.issues.length) issues.push(...checked.issues);
        let row = checked.row;
        if (row) {
          // Only the columns the file has are kept per person.
          tracker ??= new PersonTracker(new Set(header.positions.keys()));
          const contradiction = tracker.add(row);
          if (contradiction) {
            const position = header.positions.get(contradiction.column);
            issues.push({
              severity: 'error',
              line: record.line,
              ...(position !== undefined ? { column: header.names[position], columnNumber: position + 1 } : {}),
              message: contradiction.message,
              earlierLine: contradiction.earlierLine,
            });
            row = undefined;
          }
        }
        if (row) {
          validRows++;
          if (options.onRow) await options.onRow(row);
        } else {
          errorRows++;
        }
        if (rows % PROGRESS_EVERY === 0) options.onProgress?.(rows);
      }
    }
  } catch (error) {
    if (error instanceof RosterFileError) return summary({ message: error.message, ...(error.where.line ? { line: error.where.line } : {}) });
    throw error;
  }
  if (!header) return summary({ message: 'The file is empty: it has no header line and no rows. Choose the roster file again.' });
  if (rows === 0) return summary({ message: 'The file has a header but no rows to import.', line: headerLine });
  options.onProgress?.(rows);
  return summary();
}
