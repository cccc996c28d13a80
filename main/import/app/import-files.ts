/**
 * The files the import wizard works on, behind opaque tokens: the renderer never names a path.
 * A file chosen in main's open dialog is kept by its path; a dropped file's bytes are staged in
 * `<userData>/imports/staged` (owner-only). Tokens live for this run of the app.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../errors/app-error';

export interface ImportFile {
  readonly token: string;
  /** The name to show (the file's base name); never used as a path. */
  readonly name: string;
  readonly size: number;
  readonly path: string;
  /** True when main holds its own staged copy (a dropped file). */
  readonly staged: boolean;
}

export class ImportFiles {
  private readonly files = new Map<string, ImportFile>();

  constructor(
    private readonly stagingDir: string,
    private readonly maxStagedBytes: number,
  ) {}

  /** A file the user picked in main's own dialog. */
  async chosen(filePath: string): Promise<ImportFile> {
    const info = await stat(filePath).catch(() => undefined);
    if (!info?.isFile()) throw new AppError('not_found', 'That file cannot be opened. Choose it again.');
    return this.keep({ name: path.basename(filePath), size: info.size, path: filePath, staged: false });
  }

  /** A dropped file's bytes, written where only this user can read them. */
  async stage(name: string, bytes: Uint8Array): Promise<ImportFile> {
    if (bytes.byteLength > this.maxStagedBytes) {
      throw new AppError('invalid_argument', `A dropped file may be at most ${Math.round(this.maxStagedBytes / 1024 / 1024)} MiB. Choose it with “Choose file…” instead.`);
    }
    if (bytes.byteLength === 0) throw new AppError('invalid_argument', 'The dropped file is empty. Choose the roster file again.');
    await mkdir(this.stagingDir, { recursive: true, mode: 0o700 });
    const target = path.join(this.stagingDir, `${randomUUID()}.csv`);
    await writeFile(target, bytes, { mode: 0o600 });
    // Only the base name is shown; a name is never a path here.
    return this.keep({ name: path.basename(name.replaceAll('\\', '/')) || 'roster.csv', size: bytes.byteLength, path: target, staged: true });
  }

  resolve(token: string): ImportFile {
    const file = this.files.get(token);
    if (!file) throw new AppError('not_found', 'The console no longer has that file (it was restarted since). Choose the file again.');
    return file;
  }

  read(token: string): Promise<Buffer> {
    return readFile(this.resolve(token).path).catch(() => {
      throw new AppError('not_found', 'The file cannot be read any more (it was moved or deleted). Choose it again.');
    });
  }

  /** Forgets a token; a staged copy is deleted. */
  async forget(token: string): Promise<void> {
    const file = this.files.get(token);
    this.files.delete(token);
    if (file?.staged) await rm(file.path, { force: true });
  }

  private keep(file: Omit<ImportFile, 'token'>): ImportFile {
    const kept = { ...file, token: randomUUID() };
    this.files.set(kept.token, kept);
    return kept;
  }
}
