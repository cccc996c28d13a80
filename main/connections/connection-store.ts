/**
 * Saved connections, as JSON in the app's user-data folder. No secret is ever in this file.
 * Writes are atomic (temporary file, then rename) so a crash never leaves half a file; a file
 * that cannot be read is set aside, never silently overwritten.
 *
 * The managed configuration's presets are listed with the saved ones: a locked preset always
 * comes from the managed configuration and cannot be edited or removed (refused here, so no
 * caller can get around it); an unlocked one can be edited (the saved copy wins) or removed.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { type Connection, type ConnectionInput, connectionInputSchema } from '../../preload/api/schemas/connection';
import { type ConnectionPolicy, NO_CONNECTION_POLICY } from '../config/managed-connections';
import { AppError } from '../errors/app-error';
import { MRN_SYSTEM as SANDBOX_MRN_SYSTEM } from '../local-server/seed';

const fileSchema = z.object({
  version: z.literal(1),
  activeConnectionId: z.string().uuid().nullable(),
  connections: z.array(connectionInputSchema.extend({ id: z.string().uuid() })),
  /** Unlocked presets the user removed, so they do not come back at the next start. */
  dismissedPresetIds: z.array(z.string().uuid()).optional(),
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
    private readonly policy: ConnectionPolicy = NO_CONNECTION_POLICY,
  ) {}

  /** What the user sees: presets first, then saved connections (without a hidden sandbox). */
  private view(file: ConnectionsFile): Connection[] {
    const saved = new Map(file.connections.map((connection) => [connection.id, connection]));
    const dismissed = new Set(file.dismissedPresetIds ?? []);
    const presets = this.policy.presets.flatMap((preset): Connection[] => {
      if (preset.managed?.locked) return [{ ...preset }];
      const edited = saved.get(preset.id);
      if (edited) return [{ ...edited, managed: { locked: false } }];
      return dismissed.has(preset.id) ? [] : [{ ...preset }];
    });
    const presetIds = new Set(this.policy.presets.map((preset) => preset.id));
    const own = file.connections.filter((connection) => !presetIds.has(connection.id) && !this.isHidden(connection));
    return [...presets, ...own.map((connection) => ({ ...connection }))];
  }

  private isHidden(connection: { signIn: { method: string } }): boolean {
    return this.policy.hideLocalSandbox && connection.signIn.method === 'local-sandbox';
  }

  private lockedPreset(id: string | undefined): Connection | undefined {
    return id === undefined ? undefined : this.policy.presets.find((preset) => preset.id === id && preset.managed?.locked);
  }

  /** Refuses, in plain words, any change to a connection IT has locked. */
  assertEditable(id: string): void {
    const locked = this.lockedPreset(id);
    if (locked) {
      throw new AppError(
        'forbidden',
        `“${locked.name}” is set and locked by your organization's IT team, so it cannot be changed or removed here. You can still sign in with it. To change it, ask your IT team to update the console's managed configuration.`,
      );
    }
  }

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
    const connections = this.view(file);
    const active = connections.some((connection) => connection.id === file.activeConnectionId) ? file.activeConnectionId : null;
    return { connections, activeConnectionId: active };
  }

  async get(id: string): Promise<Connection> {
    const connection = this.view(await this.load()).find((candidate) => candidate.id === id);
    if (!connection) throw new AppError('not_found', 'That connection no longer exists. Choose another one in Connections.');
    return { ...connection };
  }

  async upsert(input: ConnectionInput): Promise<Connection> {
    const parsed = connectionInputSchema.parse(input);
    if (parsed.id !== undefined) this.assertEditable(parsed.id);
    const file = await this.load();
    const existing = parsed.id !== undefined ? file.connections.find((candidate) => candidate.id === parsed.id) : undefined;
    if (this.isHidden(parsed) || (existing && this.isHidden(existing))) {
      throw new AppError('forbidden', 'Your IT team has turned off the local sandbox on this computer, so it cannot be added or changed.');
    }
    const connection: Connection = { ...parsed, id: parsed.id ?? this.newId() };
    const index = file.connections.findIndex((candidate) => candidate.id === connection.id);
    if (index >= 0) file.connections[index] = connection;
    else file.connections.push(connection);
    await this.save();
    const preset = this.policy.presets.some((candidate) => candidate.id === connection.id);
    return preset ? { ...connection, managed: { locked: false } } : { ...connection };
  }

  async remove(id: string): Promise<boolean> {
    this.assertEditable(id);
    const file = await this.load();
    const visible = this.view(file).some((connection) => connection.id === id);
    if (this.policy.presets.some((preset) => preset.id === id)) {
      file.dismissedPresetIds = [...new Set([...(file.dismissedPresetIds ?? []), id])];
    }
    file.connections = file.connections.filter((connection) => connection.id !== id || this.isHidden(connection));
    if (file.activeConnectionId === id) file.activeConnectionId = null;
    await this.save();
    return visible;
  }

  async setActive(id: string | null): Promise<void> {
    const file = await this.load();
    if (id !== null && !this.view(file).some((connection) => connection.id === id)) {
      throw new AppError('not_found', 'That connection no longer exists. Choose another one in Connections.');
    }
    file.activeConnectionId = id;
    await this.save();
  }
}
