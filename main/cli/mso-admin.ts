/**
 * The command line for IT automation: `mso-admin validate <file>` today; `mso-admin import`
 * comes with the import's plan and apply stages. Same engines as the app, no window.
 */
import { parseArgs } from 'node:util';
import { EXIT } from './exit-codes';
import { type CommandIo, processIo } from './command-io';
import { runValidate } from './validate-command';

const HELP = `mso-admin: MSO Admin Console on the command line

Usage:
  mso-admin validate <file> [--kind patients|practitioners] [--json]
      Checks a roster CSV offline (no connection, no network): every error and warning by
      line and column. --json prints one summary (kind, row counts, errors, warnings).
  mso-admin --help

Exit codes: 0 valid, 2 the file has errors, 64 wrong command line, 1 anything else.
The roster format: docs/import.md and the Import page of the app.`;

export async function runCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { kind: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${HELP}`);
    return EXIT.usage;
  }
  const [command, file, ...extra] = parsed.positionals;
  if (parsed.values.help || command === 'help') {
    io.out(HELP);
    return EXIT.ok;
  }
  if (command !== 'validate' || !file || extra.length > 0) {
    io.err(command && command !== 'validate' ? `Unknown command: ${command}\n\n${HELP}` : HELP);
    return EXIT.usage;
  }
  const kind = parsed.values.kind;
  if (kind !== undefined && kind !== 'patients' && kind !== 'practitioners') {
    io.err('--kind is patients or practitioners.');
    return EXIT.usage;
  }
  try {
    return await runValidate({ file, json: parsed.values.json === true, ...(kind ? { kind } : {}) }, io);
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
  void runCommand(process.argv.slice(2), processIo()).then((code) => {
    process.exitCode = code;
  });
}

if (process.argv[1] && /mso-admin(\.[cm]?[jt]s)?$/.test(process.argv[1])) main();
