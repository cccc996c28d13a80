/** What `mso-admin` exits with, for IT's scripts (docs/import.md lists them). */
export const EXIT = {
  ok: 0,
  /** Something unexpected; the message says what to tell the IT team. */
  failed: 1,
  /** The file has errors (validate), or strict mode refused it (import). */
  invalidFile: 2,
  /** Some rows could not be applied; the rest were. */
  partial: 3,
  /** No saved sign-in for the connection: sign in from the app first. */
  signInNeeded: 4,
  /** Stopped by Ctrl+C or a signal; run again with --resume. */
  cancelled: 5,
  /** The command line itself is wrong. */
  usage: 64,
} as const;
