/**
 * The import's journal on disk, written (and flushed) before each write goes out, so that after a
 * crash, a kill, a network loss or a cancel a resume knows which writes may have landed without an
 * answer. People are named by a digest of their key (MRN or email), never the key itself.
 */
import { createHash } from 'node:crypto';
import { type FileHandle, mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RosterKind } from '../../../preload/api/roster/columns';

export type JournalEntry =
  | { t: 'start'; file: string; kind: RosterKind; at: string }
  | { t: 'sending'; batch: number; people: string[] }
  | { t: 'sent'; batch: number }
  /** Announced, then never sent (a cancel, or the import failed while it was readied). */
  | { t: 'unsent'; batch: number }
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
  private handle: FileHandle | undefined;
  private queue: Promise<void> = Promise.resolve();

  private constructor(
    readonly filePath: string,
    readonly entries: JournalEntry[],
  ) {
    // Numbered on from the highest batch announced: a number is never given twice, even where an
    // announcement failed to reach the disk.
    for (const entry of entries) if (entry.t === 'sending' && entry.batch > this.batches) this.batches = entry.batch;
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
    const answered = new Set(this.entries.filter((entry) => entry.t === 'sent' || entry.t === 'unsent').map((entry) => (entry as { batch: number }).batch));
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

  /**
   * Appends several entries with one flush (a batch's outcomes: one disk sync, not a hundred).
   * Appends go one after another through one open file, in the order they were asked for.
   */
  appendAll(entries: readonly JournalEntry[]): Promise<void> {
    if (!entries.length) return this.queue;
    const text = entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
    const written = this.queue.then(async () => {
      this.handle ??= await open(this.filePath, 'a', 0o600);
      await this.handle.write(text);
      await this.handle.sync();
      this.entries.push(...entries);
    });
    // A failed append fails its caller; the next one still gets its turn.
    this.queue = written.catch(() => undefined);
    return written;
  }

  /** Waits for the appends asked for, then lets the file go. */
  async close(): Promise<void> {
    await this.queue;
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }
}
