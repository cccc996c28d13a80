/**
 * Which CSV parser reads rosters: csv-parse or papaparse, on the same file, each streaming with
 * the roster reader's exact physical line numbers (quoted line breaks included), against bare
 * csv-parse without line information as the baseline.
 * Run: npx tsx bench/csv-parsers.ts [rows]   (writes its figures into docs/benchmarks.md)
 *
 * Each parser runs in a child process of its own, so that its peak memory is its own.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse';
import Papa from 'papaparse';

type Mode = 'csv-parse-bare' | 'csv-parse-lines' | 'papaparse-lines';
const MODES: Mode[] = ['csv-parse-bare', 'csv-parse-lines', 'papaparse-lines'];

function newlinesIn(fields: readonly string[]): number {
  let count = 0;
  for (const field of fields) for (let at = field.indexOf('\n'); at >= 0; at = field.indexOf('\n', at + 1)) count++;
  return count;
}

async function writeRoster(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  await write('mrn,given_name,family_name,birth_date,gender,clinics,action,consent,email,phone\r\n');
  for (let index = 0; index < rows; index++) {
    // Every 50th row carries a quoted line break and a quoted comma, as EHR exports do.
    const family = index % 50 === 0 ? `"Smith, ""Jr""\r\nline two"` : `Family${index % 997}`;
    await write(`MRN${index},Given${index % 101},${family},19${String(50 + (index % 50))}-0${1 + (index % 9)}-1${index % 10},${index % 2 ? 'F' : 'M'},North Clinic;South Clinic,enroll,yes,p${index}@example.org,555-0100\r\n`);
    if (index % 1000 === 0) await write('\r\n');
  }
  await new Promise<void>((resolve) => out.end(resolve));
}

async function runMode(mode: Mode, file: string): Promise<{ records: number; lastLine: number; seconds: number; peakMb: number }> {
  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  let records = 0;
  let lastLine = 0;
  if (mode === 'papaparse-lines') {
    await new Promise<void>((resolve, reject) => {
      let nextLine = 1;
      Papa.parse(createReadStream(file, { encoding: 'utf8' }), {
        step: (result: Papa.ParseStepResult<string[]>) => {
          const fields = result.data;
          const line = nextLine;
          nextLine += 1 + newlinesIn(fields);
          if (fields.length === 1 && fields[0] === '') return;
          records++;
          lastLine = line;
        },
        complete: () => resolve(),
        error: (error: Error) => reject(error),
      });
    });
  } else {
    const lines = mode === 'csv-parse-lines';
    const parser = createReadStream(file).pipe(parse({ skip_empty_lines: !lines, relax_column_count: true, record_delimiter: ['\r\n', '\n'] }));
    let nextLine = 1;
    for await (const fields of parser as AsyncIterable<string[]>) {
      if (lines) {
        const line = nextLine;
        nextLine += 1 + newlinesIn(fields);
        if (fields.length === 1 && fields[0] === '') continue;
        lastLine = line;
      }
      records++;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sample);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { records, lastLine, seconds, peakMb: peak / 2 ** 20 };
}

async function main(): Promise<void> {
  const [, , first, second] = process.argv;
  if (first === '--child') {
    const result = await runMode(second as Mode, process.argv[4] as string);
    process.stdout.write(JSON.stringify(result));
    return;
  }
  const rows = Number(first ?? 1_000_000);
  const file = join(mkdtempSync(join(tmpdir(), 'mso-csv-bench-')), 'roster.csv');
  await writeRoster(file, rows);
  const megabytes = statSync(file).size / 2 ** 20;
  const self = fileURLToPath(import.meta.url);
  const results = new Map<Mode, { records: number; lastLine: number; seconds: number; peakMb: number }>();
  for (const mode of MODES) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    results.set(mode, JSON.parse(out));
    console.log(mode, results.get(mode));
  }
  const bare = results.get('csv-parse-bare');
  if (!bare) throw new Error('no baseline');
  const table = MODES.map((mode) => {
    const result = results.get(mode);
    if (!result) return '';
    return `| ${mode} | ${(result.records / result.seconds).toFixed(0)} | ${(bare.seconds / result.seconds).toFixed(2)} | ${result.peakMb.toFixed(0)} MB | ${mode === 'csv-parse-bare' ? '—' : result.lastLine} |`;
  });
  const section = `<!-- csv-parsers:begin -->
## CSV parser for rosters (\`bench/csv-parsers.ts\`)

Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}: ${rows.toLocaleString('en-US')} patient rows (${megabytes.toFixed(0)} MB, CRLF, a quoted line break and comma every 50th row, a blank line every 1,000th), each parser streaming the file in a child process of its own. "Ratio" is bare csv-parse's time divided by the parser's (above 1 is faster than the baseline). Both line-counting readers count physical lines themselves (1 + the line breaks inside the record's fields; blank lines kept and skipped by the reader), because csv-parse's own \`info.lines\` counts a CRLF inside quotes as two lines.

| reader | rows/s | ratio to bare csv-parse | peak RSS | line of the last record |
| --- | ---: | ---: | ---: | ---: |
${table.join('\n')}
<!-- csv-parsers:end -->`;
  const docs = join(fileURLToPath(new URL('..', import.meta.url)), 'docs', 'benchmarks.md');
  const current = readFileSync(docs, 'utf8');
  const updated = current.includes('<!-- csv-parsers:begin -->')
    ? current.replace(/<!-- csv-parsers:begin -->[\s\S]*<!-- csv-parsers:end -->/, section)
    : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(docs, updated);
}

void main();
