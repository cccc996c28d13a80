import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { withoutClientSecrets } from './client-secrets';

/** What the sandbox keeps between runs: hashes of passwords and client secrets, never the secrets; no tokens. */
export interface SandboxData {
  readonly format: 'mso-local-server/1';
  /** ClientApplications are stored without `secret`. */
  readonly resources: Resource[];
  /** userId → password hash (see passwords.ts). */
  readonly passwordHashes: Record<string, string>;
  /** ClientApplication id → secret hash (see client-secrets.ts). */
  readonly clientSecretHashes: Record<string, string>;
}

/**
 * Reads the data file. A file written before secrets were hashed still loads: a `secret` found in
 * a ClientApplication is hashed here and left out of the resource, so the next save drops it.
 */
export function loadDataFile(path: string): SandboxData | undefined {
  if (!existsSync(path)) {
    return undefined;
  }
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<SandboxData>;
  if (parsed.format !== 'mso-local-server/1' || !Array.isArray(parsed.resources)) {
    throw new Error(`Not a local server data file: ${path}`);
  }
  return sandboxData(parsed.resources, parsed.passwordHashes ?? {}, new Map(Object.entries(parsed.clientSecretHashes ?? {})));
}

/** The data to save: the resources with every client secret replaced by its hash. */
export function sandboxData(
  resources: readonly Resource[],
  passwordHashes: Record<string, string>,
  clientSecretHashes: ReadonlyMap<string, string>
): SandboxData {
  return { format: 'mso-local-server/1', passwordHashes, ...withoutClientSecrets(resources, clientSecretHashes) };
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
