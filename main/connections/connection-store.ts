/**
 * Saved connections, as JSON in the app's user-data folder. No secret is ever in this file.
 * Writes are atomic (temporary file, then rename) so a crash never leaves half a file; a file
 * that cannot be read is set aside, never silently overwritten.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { type Connection, type ConnectionInput, connectionInputSchema } from '../../preload/api/schemas/connection';
import { AppError } from '../ipc/app-error';
import { MRN_SYSTEM as SANDBOX_MRN_SYSTEM } from '../local-server/seed';

const fileSchema = z.object({
  version: z.literal(1),
  activeConnectionId: z.string().uuid().nullable(),
  connections: z.array(connectionInputSchema.extend({ id: z.string().uuid() })),
});

type ConnectionsFile = z.output<typeof fileSchema>;

export const LOCAL_SANDBOX_DEFAULTS: Omit<Connection, 'id'> = {
  name: 'Local sandbox',
  baseUrl: 'http://127.0.0.1/',
  signIn: { method: 'local-sandbox' },
  mrnSystem: SANDBOX_MRN_SYSTEM,
  isolationMode: 'shared-membership',
};

export class ConnectionStore {
  private cache: ConnectionsFile | null = null;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly filePath: string,
    private readonly newId: () => string = randomUUID,
  ) {}

  private async load(): Promise<ConnectionsFile> {
    if (this.cache) return this.cache;
    let text: string;
    try {
      text = await readFile(this.filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // First run: offer the local sandbox so the console works before there is a server.
      const sandbox: Connection = { id: this.newId(), ...LOCAL_SANDBOX_DEFAULTS };
      this.cache = { version: 1, activeConnectionId: null, connections: [sandbox] };
      await this.save();
      return this.cache;
    }
    const parsed = (() => {
      try {
        return fileSchema.safeParse(JSON.parse(text));
      } catch {
        return null;
      }
    })();
    if (!parsed?.success) {
      const aside = `${this.filePath}.unreadable-${Date.now()}`;
      await rename(this.filePath, aside);
      throw new AppError(
        'internal',
        `The saved connections could not be read, so they were set aside in ${path.basename(aside)} next to the settings. Add your connections again; the old file is kept for your IT team.`,
      );
    }
    this.cache = parsed.data;
    return this.cache;
  }

  /** Saves one after another: two at once would share the temporary file. */
  private save(): Promise<void> {
    const saved = this.saving.then(() => this.writeCache());
    this.saving = saved.catch(() => undefined);
    return saved;
  }

  private async writeCache(): Promise<void> {
    if (!this.cache) return;
    await mkdir(path.dirname(this.filePath), { recursive: true });
    const temporary = `${this.filePath}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(this.cache, null, 2)}\n`, { encoding: 'utf8', mode: 0o600 });
    await rename(temporary, this.filePath);
  }

  async list(): Promise<{ connections: Connection[]; activeConnectionId: string | null }> {
    const file = await this.load();
    return { connections: file.connections.map((connection) => ({ ...connection })), activeConnectionId: file.activeConnectionId };
  }

  async get(id: string): Promise<Connection> {
    const connection = (await this.load()).connections.find((candidate) => candidate.id === id);
    if (!connection) throw new AppError('not_found', 'That connection no longer exists. Choose another one in Connections.');
    return { ...connection };
  }

  async upsert(input: ConnectionInput): Promise<Connection> {
    const parsed = connectionInputSchema.parse(input);
    const file = await this.load();
    const connection: Connection = { ...parsed, id: parsed.id ?? this.newId() };
    const index = file.connections.findIndex((candidate) => candidate.id === connection.id);
    if (index >= 0) file.connections[index] = connection;
    else file.connections.push(connection);
    await this.save();
    return { ...connection };
  }

  async remove(id: string): Promise<boolean> {
    const file = await this.load();
    const before = file.connections.length;
    file.connections = file.connections.filter((connection) => connection.id !== id);
    if (file.activeConnectionId === id) file.activeConnectionId = null;
    await this.save();
    return file.connections.length < before;
  }

  async setActive(id: string | null): Promise<void> {
    const file = await this.load();
    if (id !== null && !file.connections.some((connection) => connection.id === id)) {
      throw new AppError('not_found', 'That connection no longer exists. Choose another one in Connections.');
    }
    file.activeConnectionId = id;
    await this.save();
  }
}
