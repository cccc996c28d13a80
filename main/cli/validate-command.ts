/**
 * `mso-admin validate <file>`: checks a roster offline, with no connection and no network (what
 * IT runs in its own pipeline before an import). Prints every error and warning by line and
 * column, never a value; `--json` prints one machine-readable summary instead.
 */
import { createReadStream } from 'node:fs';
import type { RosterKind } from '../../preload/api/roster/columns';
import { describeIssue } from '../import/roster/roster-issue';
import { type RosterValidation, validateRoster } from '../import/roster/validate-roster';
import { EXIT } from './exit-codes';
import type { CommandIo } from './command-io';

/** The MRN system used when neither the file nor a connection says one (validation only). */
export const VALIDATE_DEFAULT_MRN_SYSTEM = 'urn:mso-admin:mrn';

export interface ValidateArguments {
  file: string;
  kind?: RosterKind;
  json: boolean;
}

export function validationJson(file: string, result: RosterValidation): object {
  const pick = (severity: 'error' | 'warning') =>
    result.issues
      .filter((issue) => issue.severity === severity)
      .map(({ line, column, columnNumber, message, earlierLine }) => ({ line, column, columnNumber, message, ...(earlierLine ? { earlierLine } : {}) }));
  return {
    file,
    kind: result.kind ?? null,
    delimiter: result.delimiter ?? null,
    rows: result.rows,
    validRows: result.validRows,
    errorRows: result.errorRows,
    fileError: result.fileError ?? null,
    errors: pick('error'),
    warnings: pick('warning'),
  };
}

export async function runValidate(args: ValidateArguments, io: CommandIo): Promise<number> {
  const result = await validateRoster(createReadStream(args.file), {
    ...(args.kind ? { kind: args.kind } : {}),
    defaultMrnSystem: VALIDATE_DEFAULT_MRN_SYSTEM,
    today: io.today(),
    onProgress: (rows) => io.progress(`Checked ${rows.toLocaleString('en-US')} rows…`),
  });
  io.progress(null);
  const failed = result.fileError !== undefined || result.errorRows > 0;
  if (args.json) {
    io.out(JSON.stringify(validationJson(args.file, result)));
    return failed ? EXIT.invalidFile : EXIT.ok;
  }
  if (result.fileError) {
    io.out(`${args.file}: ${result.fileError.message}`);
    return EXIT.invalidFile;
  }
  for (const issue of result.issues) io.out(`${issue.severity === 'error' ? 'error' : 'warning'}: ${describeIssue(issue)}`);
  const noun = result.kind === 'patients' ? 'patient' : 'practitioner';
  io.out(
    `${args.file}: a ${noun} roster; ${result.rows.toLocaleString('en-US')} rows, ${result.validRows.toLocaleString('en-US')} valid, ${result.errorRows.toLocaleString('en-US')} with errors, ${result.issues.filter((issue) => issue.severity === 'warning').length} warnings.`,
  );
  return failed ? EXIT.invalidFile : EXIT.ok;
}
