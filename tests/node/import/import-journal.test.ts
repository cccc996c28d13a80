/** The journal read back: batch numbers go on from the highest, and a very large journal opens. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportJournal } from '../../../main/import/apply/import-journal';

const dir = mkdtempSync(path.join(tmpdir(), 'mso-journal-'));

describe('ImportJournal', () => {
  it('numbers new batches after the highest announced, and says which people are uncertain', async () => {
    const file = path.join(dir, 'numbers.journal');
    const lines = [
      { t: 'sending', batch: 1, people: ['a'] },
      { t: 'sent', batch: 1 },
      { t: 'sending', batch: 4, people: ['b'] },
      { t: 'sending', batch: 5, people: ['c'] },
      { t: 'unsent', batch: 5 },
    ];
    writeFileSync(file, `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`);
    const journal = await ImportJournal.open(file);
    expect(journal.nextBatch()).toBe(6);
    expect([...journal.uncertain()]).toEqual(['b']);
  });

  it('opens a journal of a quarter of a million entries', async () => {
    const file = path.join(dir, 'large.journal');
    const person = (index: number) => JSON.stringify({ t: 'person', person: `p${index}`, result: 'ok' });
    writeFileSync(file, `${Array.from({ length: 250_000 }, (_, index) => person(index)).join('\n')}\n${JSON.stringify({ t: 'sending', batch: 2500, people: [] })}\n`);
    const journal = await ImportJournal.open(file);
    expect(journal.nextBatch()).toBe(2501);
  });
});
