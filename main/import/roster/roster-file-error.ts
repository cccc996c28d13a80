/** A roster file that cannot be read at all (encoding, no header, no known kind): nothing is imported. */
export class RosterFileError extends Error {
  constructor(
    message: string,
    readonly where: { line?: number; column?: string } = {},
  ) {
    super(message);
    this.name = 'RosterFileError';
  }
}
