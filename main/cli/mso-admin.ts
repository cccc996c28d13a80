/**
 * The command line for IT automation: `mso-admin validate <file>` and `mso-admin import <file>`.
 * Same engines and the same keychain sign-ins as the app, no window.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { EXIT } from './exit-codes';
import { type CommandIo, processIo } from './command-io';
import { runImportCommand } from './import-command';
import { runValidate } from './validate-command';

const HELP = `mso-admin: MSO Admin Console on the command line

Usage:
  mso-admin validate <file> [--kind patients|practitioners] [--json]
      Checks a roster CSV offline (no connection, no network): every error and warning by
      line and column. --json prints one summary (kind, row counts, errors, warnings).
  mso-admin import <file> --connection <name or id> [options]
      Imports a roster with the app's saved sign-in for that connection (sign in once in the
      app first). It always checks the file against the server first and says what it will do.
        --dry-run                 only that check: nothing is written
        --strict                  any error stops the import before the first write
        --kind patients|practitioners
        --create-missing-clinics  create clinics the file names that do not exist
        --update-demographics     update existing patients' names and birth dates from the file
        --send-invites            send invitation emails to new clinicians
        --resume                  finish an interrupted import (the same command does it too)
        --journal <file>          where the import's journal is kept (default: beside the app's settings)
        --error-report <file>     write the rows that failed, with line, status and message, as CSV
        --json                    print one machine-readable summary
        --user-data <folder>      the app's settings folder, if not the usual one
  mso-admin --help

Exit codes: 0 done, 2 the file has errors (or strict mode refused it), 3 some rows failed,
4 no saved sign-in, 5 stopped (run again to finish), 64 wrong command line, 1 anything else.
The roster format: docs/import.md and the Import page of the app.`;

export async function runCommand(argv: readonly string[], io: CommandIo, signal: AbortSignal = new AbortController().signal): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        kind: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        connection: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        'create-missing-clinics': { type: 'boolean', default: false },
        'update-demographics': { type: 'boolean', default: false },
        'send-invites': { type: 'boolean', default: false },
        resume: { type: 'boolean', default: false },
        journal: { type: 'string' },
        'error-report': { type: 'string' },
        'user-data': { type: 'string' },
        'keychain-service': { type: 'string' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${HELP}`);
    return EXIT.usage;
  }
  const [command, file, ...extra] = parsed.positionals;
  const values = parsed.values;
  if (values.help || command === 'help') {
    io.out(HELP);
    return EXIT.ok;
  }
  if ((command !== 'validate' && command !== 'import') || !file || extra.length > 0) {
    io.err(command && command !== 'validate' && command !== 'import' ? `Unknown command: ${command}\n\n${HELP}` : HELP);
    return EXIT.usage;
  }
  const kind = values.kind;
  if (kind !== undefined && kind !== 'patients' && kind !== 'practitioners') {
    io.err('--kind is patients or practitioners.');
    return EXIT.usage;
  }
  try {
    await access(file, constants.R_OK);
    if (command === 'validate') return await runValidate({ file, json: values.json === true, ...(kind ? { kind } : {}) }, io);
    if (typeof values.connection !== 'string' || values.connection.trim() === '') {
      io.err('Say which connection to import into: --connection "<its name in the app>".');
      return EXIT.usage;
    }
    return await runImportCommand(
      {
        file,
        connection: values.connection,
        ...(kind ? { kind } : {}),
        options: {
          strict: values.strict === true,
          createMissingClinics: values['create-missing-clinics'] === true,
          updateDemographics: values['update-demographics'] === true,
          sendInvites: values['send-invites'] === true,
        },
        dryRun: values['dry-run'] === true,
        json: values.json === true,
        ...(typeof values.journal === 'string' ? { journal: values.journal } : {}),
        ...(typeof values['error-report'] === 'string' ? { errorReport: values['error-report'] } : {}),
        ...(typeof values['user-data'] === 'string' ? { userDataDir: values['user-data'] } : {}),
        ...(typeof values['keychain-service'] === 'string' ? { keychainService: values['keychain-service'] } : {}),
      },
      io,
      signal,
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      io.err(`${file}: cannot be read (${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a folder, not a file' : 'permission denied'}).`);
      return EXIT.usage;
    }
    io.err(`mso-admin stopped on an unexpected error (${(error as Error).name}). Tell your IT team.`);
    return EXIT.failed;
  }
}

/** Runs the command line of this process (the `mso-admin` bin, or `npm run mso-admin --`). */
export function main(): void {
  // Ctrl+C (or a service manager's SIGTERM) stops between people; the journal keeps the rest.
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  void runCommand(process.argv.slice(2), processIo(), controller.signal).then((code) => {
    process.exitCode = code;
  });
}

if (process.argv[1] && /mso-admin(\.[cm]?[jt]s)?$/.test(process.argv[1])) main();
