/**
 * A structured logger: an event name and a few fields. Fields are for ids, counts, line numbers
 * and column names only; the redaction below is a second line of defence, not a licence.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export interface LogRecord {
  time: string;
  level: LogLevel;
  event: string;
  fields: LogFields;
}

const SECRET_FIELD = /token|secret|password|authorization|cookie|code_verifier/i;

export function redactFields(fields: LogFields): LogFields {
  const safe: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    safe[key] = SECRET_FIELD.test(key) ? '[redacted]' : value;
  }
  return safe;
}

export function createLogger(sink: (record: LogRecord) => void, now: () => Date = () => new Date()): Logger {
  const write = (level: LogLevel) => (event: string, fields: LogFields = {}) =>
    sink({ time: now().toISOString(), level, event, fields: redactFields(fields) });
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** Writes one JSON line per record; used by the app and the command line. */
export function jsonLineSink(write: (line: string) => void): (record: LogRecord) => void {
  return (record) => write(`${JSON.stringify(record)}\n`);
}

export const silentLogger: Logger = createLogger(() => undefined);
