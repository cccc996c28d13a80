/**
 * The import's journal on disk, written (and flushed) before each write goes out, so that after a
 * crash, a kill, a network loss or a cancel a resume knows which writes may have landed without an
 * answer. People are named by a digest of their key (MRN or email), never the key itself.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RosterKind } from '../../../preload/api/roster/columns';

export type JournalEntry =
  | { t: 'start'; file: string; kind: RosterKind; at: string }
  | { t: 'sending'; batch: number; people: string[] }
  | { t: 'sent'; batch: number }
  | { t: 'person'; person: string; result: 'ok' | 'failed'; reason?: string }
  | { t: 'end'; at: string; cancelled: boolean };

export function personDigest(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

export function fileDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class ImportJournal {
  private batches = 0;

  private constructor(
    readonly filePath: string,
    readonly entries: JournalEntry[],
  ) {
    this.batches = entries.filter((entry) => entry.t === 'sending').length;
  }

  /** Opens (or starts) a journal; a torn last line from a crash is passed over. */
  static async open(filePath: string): Promise<ImportJournal> {
    await mkdir(path.dirname(filePath), { recursive: true });
    let text = '';
    try {
      text = await readFile(filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const entries: JournalEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        entries.push(JSON.parse(line) as JournalEntry);
      } catch {
        // The line a crash cut short: whatever it announced is treated as in flight.
      }
    }
    return new ImportJournal(filePath, entries);
  }

  started(): Extract<JournalEntry, { t: 'start' }> | undefined {
    return this.entries.find((entry): entry is Extract<JournalEntry, { t: 'start' }> => entry.t === 'start');
  }

  ended(): boolean {
    return this.entries.some((entry) => entry.t === 'end' && !entry.cancelled);
  }

  /** People of batches announced but never answered: their creates may have landed. */
  uncertain(): Set<string> {
    const answered = new Set(this.entries.filter((entry) => entry.t === 'sent').map((entry) => (entry as { batch: number }).batch));
    const people = new Set<string>();
    for (const entry of this.entries) if (entry.t === 'sending' && !answered.has(entry.batch)) for (const person of entry.people) people.add(person);
    return people;
  }

  nextBatch(): number {
    return ++this.batches;
  }

  /** Appends and flushes to disk before returning. */
  append(entry: JournalEntry): Promise<void> {
    return this.appendAll([entry]);
  }

  /** Appends several entries with one flush (a batch's outcomes: one disk sync, not a hundred). */
  async appendAll(entries: readonly JournalEntry[]): Promise<void> {
    if (!entries.length) return;
    const handle = await open(this.filePath, 'a', 0o600);
    try {
      await handle.write(entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.entries.push(...entries);
  }
}
