import type { Operation, SearchRequest, WithId } from '@medplum/core';
import { badRequest, isGone, isNotFound, OperationOutcomeError, preconditionFailed } from '@medplum/core';
import type {
  CreateResourceOptions,
  DeleteResourceOptions,
  MemoryRepository,
  ReadHistoryOptions,
  SearchOptions,
  UpdateResourceOptions,
} from '@medplum/fhir-router';
import { FhirRepository, getExtraEntries } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, Parameters, Reference, Resource } from '@medplum/fhirtypes';
import type { ValidationWriteOptions } from '../resource-validation';
import type { AttributionWriteOptions } from '../write-options-repository';
import { validateStoredForm } from '../resource-validation';
import { accountsOf, deriveCompartments, isUnresolvedReference, unionAccounts, withAccounts } from './accounts-meta';
import { loadFhirDefinitions } from './definitions';
import { searchTypes } from './multi-type-search';
import { applyResourcePatch } from './patch';
import { isNotModified } from './not-modified';
import { getPatientReferences } from './patient-compartment';

/** Who is writing, as far as `meta.accounts` is concerned. */
export interface AccountsWriter {
  /**
   * Project admins in extended mode (and the server itself) may set `meta.accounts` by sending a
   * `meta`; for everyone else the accounts are derived (writer's compartment, patient's accounts)
   * and replace what they sent, which stays only when nothing is derived, as on Medplum.
   */
  readonly canWriteAccounts: boolean;
  /** The writer's access-policy compartment: added to the accounts of what they create, never on update. */
  readonly compartment?: Reference;
  /** Sees each resource exactly as it will be stored; throws to refuse the write (access policy). */
  readonly checkWrite?: (candidate: WithId<Resource>, previous: WithId<Resource> | undefined) => void;
}

/**
 * Write options naming the writer. They travel inside the ordinary options argument so that any
 * wrapper that forwards options (quota, faults, ...) can sit between the policy layer and us.
 * Without them the writer is the server or a project admin.
 */
export interface AccountsWriteOptions extends ValidationWriteOptions, AttributionWriteOptions {
  readonly accountsWriter?: AccountsWriter;
}

const ADMIN_WRITER: AccountsWriter = { canWriteAccounts: true };

function writerOf(options: AccountsWriteOptions | undefined): AccountsWriter {
  return options?.accountsWriter ?? ADMIN_WRITER;
}

/** The options minus ours, for the base store. */
function baseOptions<T extends object>(options: (T & AccountsWriteOptions) | undefined): T | undefined {
  if (!options) {
    return undefined;
  }
  const { accountsWriter: _writer, validateOnWrite: _validate, author: _author, onBehalfOf: _onBehalfOf, ...rest } = options;
  return rest as T;
}

// MemoryRepository.readHistory reverses its stored array in place, so its order flips on every
// call. We remember the order in which versions were written (shared by every view of one store)
// and sort by it.
const writeOrders = new WeakMap<MemoryRepository, Map<string, number>>();

/**
 * The project's store as the Medplum server keeps it: every write gets `meta.project`,
 * `meta.accounts`/`meta.account` and a derived `meta.compartment` (project, accounts, patient).
 * A new resource in a patient's compartment inherits the patient's accounts, unless an admin sent
 * a `meta` of their own (even only a tag): then that meta's accounts are used as given.
 * Reads and searches pass straight through; access control is `createPolicyRepository`'s job.
 */
export class AccountsRepository extends FhirRepository {
  private readonly writeOrder: Map<string, number>;

  constructor(
    readonly base: MemoryRepository,
    readonly projectId: string
  ) {
    super();
    loadFhirDefinitions();
    let order = writeOrders.get(base);
    if (!order) {
      order = new Map();
      writeOrders.set(base, order);
    }
    this.writeOrder = order;
  }

  setMode(): void {
    // One in-memory store: there is no reader replica to switch to.
  }

  generateId(): string {
    return this.base.generateId();
  }

  async createResource<T extends Resource>(
    resource: T,
    options?: CreateResourceOptions & AccountsWriteOptions
  ): Promise<WithId<T>> {
    const writer = writerOf(options);
    const withId = { ...resource, id: resource.id ?? this.base.generateId() } as WithId<T>;
    const candidate = await this.prepare(withId, undefined, writer, options);
    if (options?.validateOnWrite) {
      validateStoredForm(candidate);
    }
    writer.checkWrite?.(candidate, undefined);
    return this.remember(await this.base.createResource(candidate, baseOptions(options)));
  }

  async updateResource<T extends Resource>(
    resource: T,
    options?: UpdateResourceOptions & AccountsWriteOptions
  ): Promise<WithId<T>> {
    const writer = writerOf(options);
    if (!resource.id) {
      throw new OperationOutcomeError(badRequest('Missing id'));
    }
    const previous = await this.readOrUndefined<T>(resource.resourceType, resource.id);
    if (options?.ifMatch && previous && previous.meta?.versionId !== options.ifMatch) {
      throw new OperationOutcomeError(preconditionFailed);
    }
    const candidate = await this.prepare(resource as WithId<T>, previous, writer, options);
    if (options?.validateOnWrite) {
      validateStoredForm(candidate);
    }
    // Before the write check, as on Medplum: an update that changes nothing answers with the stored version.
    if (previous && isNotModified(previous, candidate)) {
      return previous;
    }
    writer.checkWrite?.(candidate, previous);
    return this.remember(await this.base.updateResource(candidate, baseOptions(options)));
  }

  async patchResource<T extends Resource>(
    resourceType: T['resourceType'],
    id: string,
    patch: Operation[] | Parameters,
    options?: UpdateResourceOptions & AccountsWriteOptions
  ): Promise<WithId<T>> {
    // Read, apply, update: so the result goes through updateResource's rules.
    const current = await this.readResource<T>(resourceType, id);
    return this.updateResource(applyResourcePatch(current, patch), options);
  }

  async deleteResource(resourceType: string, id: string, options?: DeleteResourceOptions): Promise<void> {
    await this.base.deleteResource(resourceType, id, options);
  }

  async readResource<T extends Resource>(resourceType: string, id: string): Promise<WithId<T>> {
    return (await this.base.readResource<T>(resourceType, id)) as WithId<T>;
  }

  async readReference<T extends Resource>(reference: Reference<T>): Promise<WithId<T>> {
    return this.base.readReference(reference);
  }

  async readReferences<T extends Resource>(references: readonly Reference<T>[]): Promise<(T | Error)[]> {
    return this.base.readReferences(references);
  }

  async readHistory<T extends Resource>(
    resourceType: string,
    id: string,
    options?: ReadHistoryOptions
  ): Promise<Bundle<WithId<T>>> {
    const bundle = await this.base.readHistory<WithId<T>>(resourceType, id);
    const entries = [...(bundle.entry ?? [])].sort((a, b) => this.newestFirst(a, b));
    const offset = options?.offset ?? 0;
    const page = entries.slice(offset, options?.limit === undefined ? undefined : offset + options.limit);
    return { resourceType: 'Bundle', type: 'history', total: entries.length, ...(page.length ? { entry: page } : undefined) };
  }

  async readVersion<T extends Resource>(resourceType: string, id: string, versionId: string): Promise<WithId<T>> {
    return (await this.base.readVersion<T>(resourceType, id, versionId)) as WithId<T>;
  }

  async search<T extends Resource>(searchRequest: SearchRequest<T>, options?: SearchOptions): Promise<Bundle<WithId<T>>> {
    // The options may carry a visibility filter for the store (see searchVisible): pass them on.
    if (!searchRequest.types?.length) {
      // (MemoryRepository declares search with one parameter; LocalMemoryStore takes the options.)
      return (this.base as FhirRepository).search(searchRequest, options);
    }
    const bundle = await searchTypes(this.base, searchRequest, options);
    if ((searchRequest.include || searchRequest.revInclude) && bundle.entry?.length) {
      await getExtraEntries(this, searchRequest, bundle.entry.map((e) => e.resource as WithId<T>), bundle.entry);
    }
    return bundle;
  }

  async searchByReference<T extends Resource>(
    searchRequest: SearchRequest<T>,
    referenceField: string,
    references: string[]
  ): Promise<Record<string, WithId<T>[]>> {
    return this.base.searchByReference(searchRequest, referenceField, references);
  }

  async withTransaction<TResult>(callback: (repo: this) => Promise<TResult>): Promise<TResult> {
    // No isolation to offer; whether a transaction is atomic is decided above us (the
    // `transaction-bundles` project feature), as on the real server.
    return callback(this);
  }

  /**
   * The resource as it will be stored: project, accounts and compartments filled in, and for a
   * client's write its author (and the profile it acted as, or none), as Medplum records them.
   */
  private async prepare<T extends Resource>(
    resource: WithId<T>,
    previous: WithId<T> | undefined,
    writer: AccountsWriter,
    attribution: AttributionWriteOptions | undefined
  ): Promise<WithId<T>> {
    const accounts = await this.accountsFor(resource, previous, writer);
    const meta = withAccounts({ ...resource.meta, project: this.projectId }, accounts);
    if (attribution?.author) {
      meta.author = attribution.author;
      delete meta.onBehalfOf;
      if (attribution.onBehalfOf) {
        meta.onBehalfOf = attribution.onBehalfOf;
      }
    }
    const candidate = { ...resource, meta } as WithId<T>;
    meta.compartment = deriveCompartments(candidate, this.projectId);
    return candidate;
  }

  /** Medplum's rule (Repository.getAccounts) for which accounts a written resource gets. */
  private async accountsFor(
    resource: Resource,
    previous: Resource | undefined,
    writer: AccountsWriter
  ): Promise<Reference[] | undefined> {
    if (resource.meta && writer.canWriteAccounts) {
      // An admin who sends any meta gets exactly that meta's accounts: nothing inherited.
      return accountsOf(resource.meta);
    }
    const inherited: (Reference[] | undefined)[] = [];
    const stamp = writer.compartment;
    if (!previous && stamp?.reference && !isUnresolvedReference(stamp.reference)) {
      inherited.push([{ reference: stamp.reference }]);
    }
    if (resource.resourceType === 'Patient') {
      // A patient keeps its own accounts; only $set-accounts (an admin) changes them.
      inherited.push(accountsOf(previous?.meta));
    } else {
      for (const patient of getPatientReferences(resource)) {
        const [, id] = patient.split('/');
        const found = id ? await this.readOrUndefined('Patient', id) : undefined;
        inherited.push(accountsOf(found?.meta));
      }
    }
    const accounts = unionAccounts(...inherited);
    if (accounts.length) {
      return accounts;
    }
    // Medplum replaces the accounts a request carried only with derived ones: with none, they stay.
    // A creator's policy compartment counts as derived even when unresolved (never stored here).
    return !previous && stamp?.reference ? undefined : accountsOf(resource.meta);
  }

  private async readOrUndefined<T extends Resource>(resourceType: string, id: string): Promise<WithId<T> | undefined> {
    try {
      return await this.readResource<T>(resourceType, id);
    } catch (err) {
      // A deleted resource (410) is as absent as one never made: a PUT then recreates it.
      if (err instanceof OperationOutcomeError && (isNotFound(err.outcome) || isGone(err.outcome))) {
        return undefined;
      }
      throw err;
    }
  }

  private remember<T extends Resource>(stored: WithId<T>): WithId<T> {
    const versionId = stored.meta?.versionId;
    if (versionId) {
      this.writeOrder.set(versionId, this.writeOrder.size + 1);
    }
    return stored;
  }

  private newestFirst(a: BundleEntry, b: BundleEntry): number {
    const byTime = (b.resource?.meta?.lastUpdated ?? '').localeCompare(a.resource?.meta?.lastUpdated ?? '');
    if (byTime !== 0) {
      return byTime;
    }
    // Same millisecond: newest write first when we saw both writes, else keep the store's order.
    const orderA = this.writeOrder.get(a.resource?.meta?.versionId ?? '');
    const orderB = this.writeOrder.get(b.resource?.meta?.versionId ?? '');
    return orderA !== undefined && orderB !== undefined ? orderB - orderA : 0;
  }
}
