/**
 * CSV records with the physical line each starts on (header = line 1), streamed through
 * papaparse (bench/csv-parsers.ts: 2.4 times bare csv-parse's speed on the same file, where
 * csv-parse with line numbers is slower than without). Lines are counted here, not by the
 * parser: a record spans 1 + the line breaks inside its quoted fields, and blank lines are read
 * (as one empty field) and skipped here, so CRLF files and quoted line breaks count exactly.
 * The delimiter is detected from the first non-empty line. A quoting mistake is an error for
 * the whole file: past a broken quote no later line can be told apart from the field it swallowed.
 */
import { Readable } from 'node:stream';
import Papa from 'papaparse';
import { RosterFileError } from '../roster/roster-file-error';
import { type Delimiter, detectDelimiter } from './detect-delimiter';

export interface CsvRecord {
  /** The physical line of the file where the record starts. */
  line: number;
  fields: string[];
}

/** Rows read ahead of the consumer before the parser is paused. */
const READ_AHEAD = 2_000;

function newlinesIn(fields: readonly string[]): number {
  let count = 0;
  for (const field of fields) {
    for (let at = field.indexOf('\n'); at >= 0; at = field.indexOf('\n', at + 1)) count++;
  }
  return count;
}

function isBlank(fields: readonly string[]): boolean {
  return fields.every((field) => field.trim() === '');
}

/** Holds back text until the first non-empty line is whole, so the delimiter can be read from it. */
async function withHeaderLine(text: AsyncIterable<string>): Promise<{ delimiter: Delimiter; rest: AsyncIterable<string> }> {
  const iterator = text[Symbol.asyncIterator]();
  let buffered = '';
  let ended = false;
  while (!buffered.split('\n').slice(0, -1).some((line) => line.trim() !== '')) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    buffered += next.value;
  }
  const header = buffered.split('\n').find((line) => line.trim() !== '') ?? '';
  async function* rest(): AsyncGenerator<string> {
    if (buffered) yield buffered;
    if (ended) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { delimiter: detectDelimiter(header), rest: rest() };
}

function quotingError(line: number): RosterFileError {
  return new RosterFileError(
    `Line ${line} has a quote that is not closed or is in the wrong place: a value with " must be quoted whole, with "" for each quote inside. Fix it and try again; nothing was imported.`,
    { line },
  );
}

export async function* readCsvRecords(text: AsyncIterable<string>, onDelimiter?: (delimiter: Delimiter) => void): AsyncGenerator<CsvRecord> {
  const { delimiter, rest } = await withHeaderLine(text);
  onDelimiter?.(delimiter);
  const queue: CsvRecord[] = [];
  let failure: Error | null = null;
  let finished = false;
  let wake: (() => void) | null = null;
  // Assigned in papaparse's callbacks: held in an object so TypeScript keeps its type.
  const flow: { paused: Papa.Parser | null } = { paused: null };
  const notify = () => {
    wake?.();
    wake = null;
  };
  let nextLine = 1;
  const source = Readable.from(rest);
  Papa.parse<string[]>(source as unknown as Papa.LocalFile, {
    delimiter,
    // LF splits records; the CR of a CRLF stays at the end of the last field and is trimmed with it.
    newline: '\n',
    step: (result, parser) => {
      if (failure) return;
      const fields = result.data;
      const line = nextLine;
      nextLine += 1 + newlinesIn(fields);
      if (result.errors.some((error) => error.type === 'Quotes')) {
        failure = quotingError(line);
        parser.abort();
        notify();
        return;
      }
      if (isBlank(fields)) return;
      queue.push({ line, fields });
      if (queue.length >= READ_AHEAD && !flow.paused) {
        flow.paused = parser;
        parser.pause();
      }
      notify();
    },
    complete: () => {
      finished = true;
      notify();
    },
    error: (error: Error) => {
      failure ??= error;
      notify();
    },
  });
  try {
    for (;;) {
      const record = queue.shift();
      if (record) {
        if (flow.paused && queue.length < READ_AHEAD / 2) {
          const parser = flow.paused;
          flow.paused = null;
          parser.resume();
        }
        yield record;
        continue;
      }
      if (failure) throw failure;
      if (finished) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    source.destroy();
  }
}
