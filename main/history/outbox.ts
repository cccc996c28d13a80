/**
 * The entries of this desktop not yet on the server, on disk. Each line is appended and fsynced
 * before the call returns: `{t:"entry", entry}` when a change is recorded, `{t:"sent", id}` once
 * the server holds it. A crash between the server's answer and the `sent` line only means one more
 * send, which the tag-keyed conditional create turns into "already there". Once everything is
 * sent the file is compacted (temp file + rename).
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ActivityEntry } from '../engines/activity-log';

type Line = { t: 'entry'; entry: ActivityEntry & { id: string } } | { t: 'sent'; id: string };

export class Outbox {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {}

  add(entry: ActivityEntry & { id: string }): Promise<void> {
    return this.serial(() => this.append({ t: 'entry', entry }));
  }

  markSent(id: string): Promise<void> {
    return this.serial(() => this.append({ t: 'sent', id }));
  }

  /** Entries recorded and not yet marked sent, oldest first. */
  pending(): Promise<(ActivityEntry & { id: string })[]> {
    return this.serial(() => this.readPending());
  }

  /** Rewrites the file with only what is still pending (nothing, usually). */
  compact(): Promise<void> {
    return this.serial(async () => {
      const pending = await this.readPending();
      const temp = `${this.path}.tmp`;
      await mkdir(dirname(this.path), { recursive: true });
      const handle = await open(temp, 'w', 0o600);
      try {
        await handle.writeFile(pending.map((entry) => `${JSON.stringify({ t: 'entry', entry })}\n`).join(''), 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.path);
    });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async readPending(): Promise<(ActivityEntry & { id: string })[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const entries = new Map<string, ActivityEntry & { id: string }>();
    for (const raw of text.split('\n')) {
      if (!raw.trim()) continue;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        continue; // torn by a crash mid-append
      }
      if (line.t === 'entry' && typeof line.entry?.id === 'string') entries.set(line.entry.id, line.entry);
      else if (line.t === 'sent') entries.delete(line.id);
    }
    return [...entries.values()];
  }

  private async append(line: Line): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const handle = await open(this.path, 'a+', 0o600);
    try {
      // After a line torn by a crash, start on a fresh line so this one stays readable.
      const { size } = await handle.stat();
      const last = Buffer.alloc(1);
      if (size > 0) await handle.read(last, 0, 1, size - 1);
      const lead = size > 0 && last[0] !== 10 ? '\n' : '';
      await handle.appendFile(`${lead}${JSON.stringify(line)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
