import { mkdir, open, readFile } from 'node:fs/promises';
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
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
}

export interface ActivitySink {
  record(entry: ActivityEntry): Promise<void>;
}

export interface ActivityPage {
  readonly entries: ActivityEntry[];
  /** Entries in the file (unreadable lines left out). */
  readonly total: number;
}

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

  /** Newest first; `offset`/`count` page through those that pass `filter`. */
  async read(page: { offset?: number; count?: number; filter?: (entry: ActivityEntry) => boolean } = {}): Promise<ActivityPage> {
    await this.tail;
    const entries = parseLines(await readText(this.path)).filter((entry) => page.filter?.(entry) ?? true);
    entries.reverse();
    const offset = Math.max(0, page.offset ?? 0);
    const count = Math.max(0, page.count ?? 50);
    return { entries: entries.slice(offset, offset + count), total: entries.length };
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

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      return '';
    }
    throw err;
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
