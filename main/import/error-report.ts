/**
 * The rows that failed, as CSV the administrator can fix and import again: the original columns
 * plus `line`, `status` and `message`. A cell that starts with `=`, `+`, `-`, `@`, tab or carriage
 * return gets a leading `'`, so that a spreadsheet never runs it as a formula (the spec's rule).
 */
import { writeFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { decodeUtf8 } from './csv/decode-utf8';
import { readCsvRecords } from './csv/read-records';

export interface ReportedRow {
  readonly line: number;
  readonly status: 'error' | 'failed';
  readonly message: string;
}

export function neutralizeFormula(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

export async function writeErrorReport(source: AsyncIterable<Uint8Array>, rows: readonly ReportedRow[], target: string): Promise<number> {
  const byLine = new Map<number, ReportedRow[]>();
  for (const row of rows) byLine.set(row.line, [...(byLine.get(row.line) ?? []), row]);
  const out: string[][] = [];
  let header: string[] | undefined;
  for await (const record of readCsvRecords(decodeUtf8(source))) {
    if (!header) {
      header = record.fields.map((field) => field.trim());
      out.push([...header, 'line', 'status', 'message']);
      continue;
    }
    const reported = byLine.get(record.line);
    if (!reported) continue;
    const cells = header.map((_, index) => (record.fields[index] ?? '').trim());
    out.push([...cells, String(record.line), reported[0]?.status ?? 'error', reported.map((row) => row.message).join(' ')].map(neutralizeFormula));
  }
  await writeFile(target, `${Papa.unparse(out, { newline: '\r\n' })}\r\n`, { encoding: 'utf8', mode: 0o600 });
  return out.length - 1;
}
