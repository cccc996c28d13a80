import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * One change the console made. Only references, codes and counts: never a name, a birth date or
 * any other value from a record (the log is kept on the administrator's disk, unencrypted).
 */
export interface ActivityEntry {
  readonly time: string;
  /** Who: the administrator's profile reference (e.g. "Practitioner/123"). */
  readonly actor: string;
  /** What, as a stable code: "clinician.enroll", "patient.set-clinics", ... */
  readonly action: string;
  /** The resources concerned, as references. */
  readonly targets: readonly string[];
  readonly result: 'ok' | 'failed';
  /** Short extra facts: counts, references, an error code. Never PHI. */
  readonly detail?: Readonly<Record<string, string | number | boolean>>;  /** Unique per entry: the shared trail's AuditEvent is keyed by it, so a resend never makes two. */
  readonly id?: string;
  /** What an access change did, as references: enough to undo it (docs/history.md). */
  readonly change?: ActivityChange;
  /** The import (job) this entry is one row of. */
  readonly importId?: string;
  /** The entry (`server:<id>` / `local:<id>`) this one undid. */
  readonly undoes?: string;
}

/**
 * An access change as references only: the record, what its access list held before and after
 * (patients: `meta.accounts`; clinicians: their clinics across memberships), and the intent.
 */
export interface ActivityChange {
  /** Patient/<id> (accounts), Practitioner/<id> (clinics across memberships) or ProjectMembership/<id> (that membership's clinics). */
  readonly subject: string;
  readonly field: 'accounts' | 'clinics';
  readonly before: readonly string[];
  readonly after: readonly string[];
}

/** The action code of an import's own entry; its rows carry their engines' codes and its id. */
export const IMPORT_ACTION = 'import.roster';

export interface ActivitySink {
  record(entry: ActivityEntry): Promise<void>;
}

export interface ActivityPage {
  readonly entries: ActivityEntry[];
  /** Entries in the file (unreadable lines left out). */
  readonly total: number;
}

/** Lines read per slice when a filter has to look through the whole log. */
const SLICE_LINES = 512;

/**
 * The activity log as a JSON-lines file: one entry per line, appended and fsynced before
 * `record` resolves, so an entry reported as written survives a crash. Appends from one process
 * are serialized; a torn last line (crash mid-write) is skipped on reading, not fatal.
 */
export class JsonLinesActivityLog implements ActivitySink {
  private tail: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  record(entry: ActivityEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    const write = this.tail.then(() => this.append(line));
    // The next append waits for this one whether it worked or not.
    this.tail = write.catch(() => undefined);
    return write;
  }

  /**
   * Newest first; `offset`/`count` page through those that pass `filter`. The file is indexed once
   * (byte offset and length of each readable line, read in 64 KB chunks and kept as numbers) and
   * then only grows with appends, so an unfiltered page reads just its own lines; a filtered one
   * reads the file in slices from the newest end, never all of it at once.
   */
  async read(page: { offset?: number; count?: number; filter?: (entry: ActivityEntry) => boolean } = {}): Promise<ActivityPage> {
    await this.tail;
    await this.scan();
    const offset = Math.max(0, page.offset ?? 0);
    const count = Math.max(0, page.count ?? 50);
    const { starts } = this.index;
    if (starts.length === 0) {
      return { entries: [], total: 0 };
    }
    const handle = await open(this.path, 'r');
    try {
      if (!page.filter) {
        const newest = starts.length - 1 - offset;
        const oldest = Math.max(0, newest - count + 1);
        const entries = newest < 0 ? [] : (await this.readLines(handle, oldest, newest)).reverse();
        return { entries, total: starts.length };
      }
      const entries: ActivityEntry[] = [];
      let matched = 0;
      for (let newest = starts.length - 1; newest >= 0; newest -= SLICE_LINES) {
        const slice = (await this.readLines(handle, Math.max(0, newest - SLICE_LINES + 1), newest)).reverse();
        for (const entry of slice) {
          if (!page.filter(entry)) continue;
          if (matched >= offset && entries.length < count) entries.push(entry);
          matched++;
        }
      }
      return { entries, total: matched };
    } finally {
      await handle.close();
    }
  }

  private index: { starts: number[]; lengths: number[]; scanned: number } = { starts: [], lengths: [], scanned: 0 };

  /** Indexes the lines appended since the last scan; a torn last line is looked at again next time. */
  private async scan(): Promise<void> {
    let handle;
    try {
      handle = await open(this.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    try {
      const { size } = await handle.stat();
      if (size < this.index.scanned) this.index = { starts: [], lengths: [], scanned: 0 };
      const chunk = Buffer.alloc(64 * 1024);
      let carry = Buffer.alloc(0);
      let carryStart = this.index.scanned;
      let position = this.index.scanned;
      while (position < size) {
        const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, size - position), position);
        if (bytesRead === 0) break;
        position += bytesRead;
        const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
        let lineStart = 0;
        for (let newline = data.indexOf(10, lineStart); newline !== -1; newline = data.indexOf(10, lineStart)) {
          if (parseLines(data.subarray(lineStart, newline).toString('utf8')).length === 1) {
            this.index.starts.push(carryStart + lineStart);
            this.index.lengths.push(newline - lineStart);
          }
          lineStart = newline + 1;
        }
        carry = Buffer.from(data.subarray(lineStart));
        carryStart += lineStart;
      }
      this.index.scanned = carryStart;
    } finally {
      await handle.close();
    }
  }

  /** Indexed lines `from`..`to` (oldest first), read with one read of their byte range. */
  private async readLines(handle: FileHandle, from: number, to: number): Promise<ActivityEntry[]> {
    const { starts, lengths } = this.index;
    const begin = starts[from] as number;
    const end = (starts[to] as number) + (lengths[to] as number);
    const buffer = Buffer.alloc(end - begin);
    await handle.read(buffer, 0, buffer.length, begin);
    const entries: ActivityEntry[] = [];
    for (let line = from; line <= to; line++) {
      const start = (starts[line] as number) - begin;
      entries.push(...parseLines(buffer.subarray(start, start + (lengths[line] as number)).toString('utf8')));
    }
    return entries;
  }

  private async append(line: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const handle = await open(this.path, 'a', 0o600);
    try {
      await handle.appendFile(line, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/** Keeps entries in memory; for tests and the command line. */
export class MemoryActivityLog implements ActivitySink {
  readonly entries: ActivityEntry[] = [];

  record(entry: ActivityEntry): Promise<void> {
    this.entries.push(entry);
    return Promise.resolve();
  }
}

export function parseLines(text: string): ActivityEntry[] {
  const entries: ActivityEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) {
      continue;
    }
    try {
      const parsed = JSON.parse(line) as ActivityEntry;
      if (typeof parsed.action === 'string' && typeof parsed.time === 'string') {
        entries.push(parsed);
      }
    } catch {
      // A line torn by a crash mid-append: skip it, keep the rest.
    }
  }
  return entries;
}
