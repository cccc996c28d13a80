import type { WithId } from '@medplum/core';
import { deepClone, gone, notFound, OperationOutcomeError } from '@medplum/core';
import type { CreateResourceOptions, DeleteResourceOptions, ReadHistoryOptions } from '@medplum/fhir-router';
import { getExtraEntries, MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, Reference, Resource } from '@medplum/fhirtypes';
import type { SearchRequest } from '@medplum/core';
import type { VisibilitySearchOptions } from './repo/filtered-search';
import type { ResourceMaps } from './store-search';
import { searchStore } from './store-search';
type HistoryMaps = Map<string, Map<string, Resource[]>>;

/** Medplum's system repository writes as `{reference: 'system'}` (getSystemRepo in fhir/repo.ts). */
export const SYSTEM_AUTHOR: Reference = { reference: 'system' };

/**
 * Every version has an author, as on Medplum: a write that names none (the seed, an invite, any
 * write without a request behind it) is the server's own. One that names one keeps it, as the
 * system repository may write protected meta; a client's write is named by the accounts layer.
 */
function authored<T extends Resource>(resource: T): T {
  return resource.meta?.author ? resource : { ...resource, meta: { ...resource.meta, author: SYSTEM_AUTHOR } };
}

/** The MemoryRepository internals we copy for snapshots; they are plain (not #private) fields. */
interface MemoryInternals {
  resources: ResourceMaps;
  history: HistoryMaps;
}

export interface StoreSnapshot {
  readonly resources: ResourceMaps;
  readonly history: HistoryMaps;
}

/**
 * The one in-process data store: fhir-router's MemoryRepository plus what the local server needs
 * around it: change notification (for persistence), cheap snapshots (for atomic transactions),
 * export/import (for the data file), and a history read that does not reorder stored history.
 */
export class LocalMemoryStore extends MemoryRepository {
  private readonly listeners = new Set<() => void>();

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notifyChange(): void {
    for (const listener of this.listeners) {
      listener();
    }
  }

  private get internals(): MemoryInternals {
    return this as unknown as MemoryInternals;
  }

  override async createResource<T extends Resource>(
    resource: T,
    options?: CreateResourceOptions,
    update = false
  ): Promise<WithId<T>> {
    const result = await super.createResource(authored(resource), options, update);
    this.notifyChange();
    return result;
  }

  override async conditionalCreate<T extends Resource>(
    resource: T,
    search: SearchRequest<T>,
    options?: CreateResourceOptions
  ): Promise<{ resource: WithId<T>; outcome: OperationOutcome }> {
    // MemoryRepository's own conditionalCreate writes without going through createResource.
    const result = await super.conditionalCreate(authored(resource), search, options);
    this.notifyChange();
    return result;
  }

  override async deleteResource(resourceType: string, id: string, options?: DeleteResourceOptions): Promise<void> {
    if (this.isDeleted(resourceType, id)) {
      return; // As on Medplum: deleting a deleted resource succeeds and changes nothing.
    }
    await super.deleteResource(resourceType, id, options);
    this.notifyChange();
  }

  /**
   * Deleted: gone from the current resources, its versions still in the history (MemoryRepository
   * keeps them). Medplum then answers a read with 410 Gone, and vread and history still work.
   */
  isDeleted(resourceType: string, id: string): boolean {
    return !this.internals.resources.get(resourceType)?.has(id) && !!this.internals.history.get(resourceType)?.get(id)?.length;
  }

  override async readResource<T extends Resource>(resourceType: string, id: string): Promise<WithId<T>> {
    if (this.isDeleted(resourceType, id)) {
      throw new OperationOutcomeError(gone);
    }
    return (await super.readResource<T>(resourceType, id)) as WithId<T>;
  }

  override async readVersion<T extends Resource>(resourceType: string, id: string, versionId: string): Promise<WithId<T>> {
    if (!this.isDeleted(resourceType, id)) {
      return (await super.readVersion<T>(resourceType, id, versionId)) as WithId<T>;
    }
    const version = this.internals.history.get(resourceType)?.get(id)?.find((r) => r.meta?.versionId === versionId);
    if (!version) {
      throw new OperationOutcomeError(notFound);
    }
    return deepClone(version) as WithId<T>;
  }

  override async expungeResources(resourceType: string, ids: string[]): Promise<void> {
    await super.expungeResources(resourceType, ids);
    this.notifyChange();
  }

  /**
   * MemoryRepository's search with the same results, without its per-search waste (see
   * `searchStore`): sort keys computed once, only the page copied, and an access-policy
   * visibility filter (from `searchVisible`) applied before paging and counting.
   */
  override async search<T extends Resource>(
    searchRequest: SearchRequest<T>,
    options?: VisibilitySearchOptions
  ): Promise<Bundle<WithId<T>>> {
    const visibility = options?.visibility;
    const bundle = searchStore(this.internals.resources, searchRequest, visibility?.visible);
    if (visibility) {
      visibility.applied = true;
    }
    if ((searchRequest.include || searchRequest.revInclude) && bundle.entry?.length) {
      const entries = bundle.entry;
      await getExtraEntries(this, searchRequest, entries.map((e) => e.resource as WithId<T>), entries);
      bundle.entry = entries;
    }
    return bundle;
  }

  // MemoryRepository.readHistory reverses the stored array in place, so every other call
  // would return the history oldest-first. Copy before reversing, and honour offset/limit.
  override async readHistory<T extends Resource>(
    resourceType: string,
    id: string,
    options?: ReadHistoryOptions
  ): Promise<Bundle<WithId<T>>> {
    if (!this.isDeleted(resourceType, id)) {
      await this.readResource(resourceType, id);
    }
    const versions = [...(this.internals.history.get(resourceType)?.get(id) ?? [])].reverse();
    const offset = options?.offset ?? 0;
    const page = versions.slice(offset, options?.limit === undefined ? undefined : offset + options.limit);
    const entry = page.map((resource) => ({ resource: deepClone(resource) as WithId<T> }));
    // Medplum counts every version in `total`, whatever the page.
    return { resourceType: 'Bundle', type: 'history', total: versions.length, ...(entry.length ? { entry } : undefined) };
  }

  /** Stored resources are never mutated in place (writes store a fresh copy), so shallow copies suffice. */
  snapshot(): StoreSnapshot {
    const resources: ResourceMaps = new Map();
    for (const [type, byId] of this.internals.resources) {
      resources.set(type, new Map(byId));
    }
    const history: HistoryMaps = new Map();
    for (const [type, byId] of this.internals.history) {
      const copy = new Map<string, Resource[]>();
      for (const [id, versions] of byId) {
        copy.set(id, [...versions]);
      }
      history.set(type, copy);
    }
    return { resources, history };
  }

  restore(snapshot: StoreSnapshot): void {
    const { resources, history } = this.internals;
    resources.clear();
    history.clear();
    for (const [type, byId] of snapshot.resources) {
      resources.set(type, new Map(byId));
    }
    for (const [type, byId] of snapshot.history) {
      history.set(type, new Map(byId));
    }
    this.notifyChange();
  }

  /** All current resources (not their history), for the data file. */
  exportResources(): Resource[] {
    const all: Resource[] = [];
    for (const byId of this.internals.resources.values()) {
      for (const resource of byId.values()) {
        all.push(resource);
      }
    }
    return all;
  }

  /** Loads resources as they were saved, keeping their ids, versionIds and lastUpdated. */
  async importResources(resources: readonly Resource[]): Promise<void> {
    await this.withSeeding(async () => {
      for (const resource of resources) {
        await super.createResource(resource, undefined, true);
      }
    });
    this.notifyChange();
  }

  countResources(resourceType: string): number {
    return this.internals.resources.get(resourceType)?.size ?? 0;
  }
}
