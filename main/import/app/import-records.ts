/**
 * The app's imports on disk, so that one interrupted by a crash, a quit or a cancel can be offered
 * again at the next start: beside the engine's journal (`imports/<digest>.journal`, the same name
 * `mso-admin import` uses for the same file) the app keeps what it needs to run it again: the
 * wizard's choices (`imports/app/<importId>.json`) and its own copy of the file
 * (`imports/app/<importId>.csv`, owner-only). No row value is in the JSON.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { ImportJournal } from '../apply/import-journal';

const recordSchema = z.object({
  importId: z.string().uuid(),
  digest: z.string().regex(/^[0-9a-f]{16}$/),
  fileName: z.string(),
  size: z.number(),
  kind: z.enum(['patients', 'practitioners']),
  columnOverrides: z.record(z.string(), z.string()),
  options: z.object({ createMissingClinics: z.boolean(), updateDemographics: z.boolean(), sendInvites: z.boolean(), strict: z.boolean() }),
  connectionId: z.string(),
  startedAt: z.string(),
});

export type ImportRecord = z.infer<typeof recordSchema>;

/** The journal's name for a file's bytes (as `mso-admin import` names it). */
export function journalDigest(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

export interface JournalState {
  /** The last run stopped before its end (no end entry, or a cancelled one). */
  interrupted: boolean;
  peopleDone: number;
}

export class ImportRecords {
  constructor(private readonly importsDir: string) {}

  journalPath(record: Pick<ImportRecord, 'digest'>): string {
    return path.join(this.importsDir, `${record.digest}.journal`);
  }

  filePath(importId: string): string {
    return path.join(this.importsDir, 'app', `${importId}.csv`);
  }

  private metaPath(importId: string): string {
    return path.join(this.importsDir, 'app', `${importId}.json`);
  }

  /** Keeps the choices and a copy of the file before the first write goes out. */
  async create(record: ImportRecord, source: string): Promise<void> {
    await mkdir(path.join(this.importsDir, 'app'), { recursive: true, mode: 0o700 });
    await copyFile(source, this.filePath(record.importId));
    await writeFile(this.metaPath(record.importId), JSON.stringify(record), { mode: 0o600 });
  }

  async read(importId: string): Promise<ImportRecord | undefined> {
    try {
      return recordSchema.parse(JSON.parse(await readFile(this.metaPath(importId), 'utf8')));
    } catch {
      return undefined;
    }
  }

  async list(): Promise<ImportRecord[]> {
    const names = await readdir(path.join(this.importsDir, 'app')).catch(() => [] as string[]);
    const records = await Promise.all(names.filter((name) => name.endsWith('.json')).map((name) => this.read(name.slice(0, -'.json'.length))));
    return records.filter((record): record is ImportRecord => record !== undefined).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  async journalState(record: ImportRecord): Promise<JournalState> {
    const journal = await ImportJournal.open(this.journalPath(record));
    const entries = journal.entries;
    const last = entries.at(-1);
    // People done since the last run that finished: a cancelled run and its resumes count together.
    const finished = entries.findLastIndex((entry) => entry.t === 'end' && !entry.cancelled);
    const peopleDone = entries.slice(finished + 1).filter((entry) => entry.t === 'person').length;
    return { interrupted: last !== undefined && (last.t !== 'end' || last.cancelled), peopleDone };
  }

  /**
   * Forgets the app's copy and choices. The journal stays: if a batch of an interrupted run may have
   * landed unanswered, a later import of the same file still creates those people conditionally.
   */
  async remove(importId: string): Promise<void> {
    await rm(this.filePath(importId), { force: true });
    await rm(this.metaPath(importId), { force: true });
  }
}
