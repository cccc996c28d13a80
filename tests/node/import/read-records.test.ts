/**
 * Physical line numbers under every way a file can be cut: random records with quoted commas,
 * quotes and line breaks (LF and CRLF), blank lines, each file fed in random chunk sizes, the
 * UTF-8 of its names split across chunks.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../../../main/import/csv/decode-utf8';
import { type CsvRecord, readCsvBatches, readCsvRecords } from '../../../main/import/csv/read-records';

async function* chunked(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  let turn = 0;
  while (at < bytes.length) {
    const size = Math.max(1, sizes[turn++ % sizes.length] ?? 1);
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

async function read(bytes: Uint8Array, sizes: number[]): Promise<CsvRecord[]> {
  const records: CsvRecord[] = [];
  for await (const record of readCsvRecords(decodeUtf8(chunked(bytes, sizes)))) records.push(record);
  return records;
}

const field = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9 ]{0,8}$/),
  fc.constantFrom('Zoë', 'Łódź', '李明', 'a,b', 'say "hi"', 'two\nlines', 'crlf\r\ninside', 'x;y'),
);

function quote(value: string): string {
  return /[",\n\r;]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

describe('CSV records with their physical lines', () => {
  it('start on the line counted by hand, however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.array(field, { minLength: 3, maxLength: 3 }), fc.nat({ max: 2 })), { minLength: 1, maxLength: 25 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 5 }),
        async (rows, crlf, sizes) => {
          const end = crlf ? '\r\n' : '\n';
          let text = `a,b,c${end}`;
          let line = 2;
          const expected: { line: number; fields: string[] }[] = [{ line: 1, fields: ['a', 'b', 'c'] }];
          for (const [fields, blanksBefore] of rows) {
            text += end.repeat(blanksBefore);
            line += blanksBefore;
            const blank = fields.every((value) => value.trim() === '');
            text += `${fields.map(quote).join(',')}${end}`;
            if (!blank) expected.push({ line, fields });
            line += 1 + fields.join('').split('\n').length - 1;
          }
          const records = await read(new TextEncoder().encode(text), sizes);
          expect(records.map((record) => record.line)).toEqual(expected.map((record) => record.line));
          // The last field keeps the CR of a CRLF end: the roster reader trims values.
          expect(records.map((record) => record.fields.map((value) => value.replace(/\r$/, '')))).toEqual(expected.map((record) => record.fields));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('says which line is not UTF-8 even when the bad byte is in a later chunk', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('a,b\nZoë,1\n\n'), 0x80, ...new TextEncoder().encode(',2\n')]);
    for (const size of [1, 2, 3, 5, 100]) {
      await expect(read(bytes, [size])).rejects.toMatchObject({ where: { line: 4 } });
    }
  });
});

describe('CSV records in batches', () => {
  it('hands out the records before a quoting mistake, then the mistake with its line, however the file is fed', async () => {
    const text = 'mrn,given_name\nA1,Ada\nA2,Ben\nA3,"Cy"x\nA4,"Di"\n';
    for (const sizes of [[text.length], [1], [5, 3]]) {
      const records: number[] = [];
      const failure = await (async () => {
        for await (const batch of readCsvBatches(decodeUtf8(chunked(new TextEncoder().encode(text), sizes)))) records.push(...batch.map((record) => record.line));
      })().catch((error: unknown) => error);
      expect(records, `chunks of ${sizes}`).toEqual([1, 2, 3]);
      expect(failure).toMatchObject({ where: { line: 4 } });
    }
  });

  it('keeps batches to a few thousand rows when the whole file comes as one chunk', async () => {
    const rows = ['mrn,given_name', ...Array.from({ length: 20_000 }, (_, index) => `M${index},Given${index}`)];
    const sizes: number[] = [];
    let lines = 0;
    for await (const batch of readCsvBatches(decodeUtf8(chunked(new TextEncoder().encode(`${rows.join('\n')}\n`), [Number.MAX_SAFE_INTEGER])))) {
      sizes.push(batch.length);
      lines += batch.length;
    }
    expect(lines).toBe(20_001);
    expect(sizes.length).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThan(20_000);
  });
});
