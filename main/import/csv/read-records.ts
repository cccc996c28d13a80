/**
 * CSV records with the physical line each starts on (header = line 1), parsed by
 * papaparse (bench/csv-parsers.ts: 2.4 times bare csv-parse's speed on the same file, where
 * csv-parse with line numbers is slower than without). Lines are counted here, not by the
 * parser: a record spans 1 + the line breaks inside its quoted fields, and blank lines are read
 * (as one empty field) and skipped here, so CRLF files and quoted line breaks count exactly.
 * The delimiter is detected from the first non-empty line. A quoting mistake is an error for
 * the whole file: past a broken quote no later line can be told apart from the field it swallowed.
 */
import Papa from 'papaparse';
import { RosterFileError } from '../roster/roster-file-error';
import { type Delimiter, detectDelimiter } from './detect-delimiter';

export interface CsvRecord {
  /** The physical line of the file where the record starts. */
  line: number;
  fields: string[];
}

/** Far longer than any roster record (a dozen short fields), and than the rows of a whole slice. */
const MAX_RECORD_CHARS = 8 << 20;

function tooLong(line: number): RosterFileError {
  return new RosterFileError(
    `Line ${line} starts a record longer than 8 MiB: a quote there is probably not closed (or the file's lines end in CR only). Fix it and try again; nothing was imported.`,
    { line },
  );
}

/** Text parsed at a time: about 3,000 rows of a typical roster. */
const SLICE_CHARS = 1 << 18;

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

/**
 * The records in batches, one per chunk of text (a few thousand rows): papaparse's own parser fed
 * chunk by chunk, so reading waits for the consumer (no queue, no pause) and a million-row file
 * costs a few hundred async steps, not a million.
 */
export async function* readCsvBatches(text: AsyncIterable<string>, onDelimiter?: (delimiter: Delimiter) => void): AsyncGenerator<CsvRecord[]> {
  const { delimiter, rest } = await withHeaderLine(text);
  onDelimiter?.(delimiter);
  // LF splits records; the CR of a CRLF stays at the end of the last field and is trimmed with it.
  const parser = new Papa.Parser({ delimiter, newline: '\n' });
  let nextLine = 1;
  let partial = '';
  /** The chunk's records, and the quoting mistake that ends the file if there is one (after them). */
  const parse = (input: string, last: boolean): { records: CsvRecord[]; broken?: RosterFileError } => {
    // Not the last chunk: the unfinished record at its end is kept and parsed with the next one.
    const results = parser.parse(input, 0, !last) as Papa.ParseResult<string[]>;
    // An error on the unfinished record at the end is not one yet: it is parsed again, whole, with the next chunk.
    const broken = results.errors.find((error) => error.type === 'Quotes' && (error.row ?? 0) < results.data.length);
    const records: CsvRecord[] = [];
    for (let index = 0; index < results.data.length; index++) {
      const fields = results.data[index] as string[];
      const line = nextLine;
      if (broken && broken.row === index) return { records, broken: quotingError(line) };
      nextLine += 1 + newlinesIn(fields);
      if (!isBlank(fields)) records.push({ line, fields });
    }
    partial = last ? '' : input.slice(results.meta.cursor);
    // Past this, an unclosed quote would keep the rest of the file in memory and parse it again with every slice.
    if (partial.length > MAX_RECORD_CHARS) return { records, broken: tooLong(nextLine) };
    return { records };
  };
  for await (const chunk of rest) {
    // Big text (a whole file read at once) is parsed in slices, so a batch stays a few thousand rows.
    for (let at = 0; at < chunk.length; at += SLICE_CHARS) {
      const { records, broken } = parse(partial + chunk.slice(at, at + SLICE_CHARS), false);
      if (records.length) yield records;
      if (broken) throw broken;
    }
  }
  const { records, broken } = parse(partial, true);
  if (records.length) yield records;
  if (broken) throw broken;
}

/** The records one by one, for readers that do not need the speed of batches. */
export async function* readCsvRecords(text: AsyncIterable<string>, onDelimiter?: (delimiter: Delimiter) => void): AsyncGenerator<CsvRecord> {
  for await (const batch of readCsvBatches(text, onDelimiter)) yield* batch;
}
