import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';

/** What the sandbox keeps between runs. Password hashes, never passwords; no tokens. */
export interface SandboxData {
  readonly format: 'mso-local-server/1';
  readonly resources: Resource[];
  /** userId → password hash (see passwords.ts). */
  readonly passwordHashes: Record<string, string>;
}

export function loadDataFile(path: string): SandboxData | undefined {
  if (!existsSync(path)) {
    return undefined;
  }
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<SandboxData>;
  if (parsed.format !== 'mso-local-server/1' || !Array.isArray(parsed.resources)) {
    throw new Error(`Not a local server data file: ${path}`);
  }
  return { format: parsed.format, resources: parsed.resources, passwordHashes: parsed.passwordHashes ?? {} };
}

/**
 * Writes the data file after changes, debounced so a burst of writes costs one save, and
 * atomically (temp file + rename) so a crash mid-write never leaves a torn file.
 */
export class DebouncedDataFileWriter {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly collect: () => SandboxData,
    private readonly debounceMs = 250
  ) {}

  scheduleSave(): void {
    if (this.timer) {
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.writing = this.writing.then(() => this.writeNow()).catch(() => undefined);
    }, this.debounceMs);
    this.timer.unref();
  }

  /** Writes any pending change now and waits for it. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.writing = this.writing.then(() => this.writeNow());
    }
    await this.writing;
  }

  private async writeNow(): Promise<void> {
    const data = JSON.stringify(this.collect());
    await mkdir(dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    await writeFile(temp, data, { encoding: 'utf8', mode: 0o600 });
    await rename(temp, this.path);
  }
}
