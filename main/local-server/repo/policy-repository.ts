import type { Operation, SearchRequest, WithId } from '@medplum/core';
import {
  AccessPolicyInteraction,
  accessPolicySupportsInteraction,
  badRequest,
  forbidden,
  isNotFound,
  normalizeOperationOutcome,
  notFound,
  OperationOutcomeError,
  Operator,
  satisfiedAccessPolicy,
} from '@medplum/core';
import type {
  CreateResourceOptions,
  DeleteResourceOptions,
  ReadHistoryOptions,
  RepositoryMode,
  SearchOptions,
  UpdateResourceOptions,
} from '@medplum/fhir-router';
import { FhirRepository, getExtraEntries } from '@medplum/fhir-router';
import type {
  AccessPolicy,
  Bundle,
  Parameters,
  ProjectMembership,
  Reference,
  Resource,
  ResourceType,
} from '@medplum/fhirtypes';
import type { AccountsWriteOptions } from './accounts-repository';
import { combineAccessPolicies } from './combined-policy';
import { loadFhirDefinitions } from './definitions';
import { searchVisible } from './filtered-search';
import { applyResourcePatch } from './patch';

export interface PolicyContext {
  readonly membership: ProjectMembership;
  /** From resolveAccessPolicies; pass [] when it returned undefined (no policy: the whole project). */
  readonly accessPolicies: readonly AccessPolicy[];
  readonly projectId: string;
}

/**
 * The store as one member sees it, enforcing their access policies as Medplum does: a type no rule
 * lists is 403; a resource no rule's criteria (or rule compartment) admits reads as 404 and is left
 * out of searches; read-only rules and `interaction` lists forbid the rest; what they create is
 * stamped with their policy compartment (the last access entry's) and must land inside a rule, and
 * an update must keep the resource inside one. Built per request, so policy changes apply at once.
 */
export function createPolicyRepository(base: FhirRepository, ctx: PolicyContext): FhirRepository {
  loadFhirDefinitions();
  const policy = combineAccessPolicies(ctx.membership, ctx.accessPolicies, ctx.projectId);
  return new PolicyRepository(base, policy, ctx.membership);
}

const { READ, VREAD, HISTORY, SEARCH, CREATE, UPDATE, DELETE } = AccessPolicyInteraction;

class PolicyRepository extends FhirRepository {
  constructor(
    private readonly base: FhirRepository,
    private readonly policy: AccessPolicy,
    private readonly membership: ProjectMembership
  ) {
    super();
  }

  setMode(mode: RepositoryMode): void {
    this.base.setMode(mode);
  }

  generateId(): string {
    return this.base.generateId();
  }

  async readResource<T extends Resource>(resourceType: string, id: string): Promise<WithId<T>> {
    this.requireType(READ, resourceType);
    return this.requireVisible(await this.base.readResource<T>(resourceType, id), READ);
  }

  async readReference<T extends Resource>(reference: Reference<T>): Promise<WithId<T>> {
    const [resourceType, id] = reference.reference?.split('/') ?? [];
    if (!resourceType || !id) {
      throw new OperationOutcomeError(badRequest('Invalid reference'));
    }
    return this.readResource<T>(resourceType, id);
  }

  async readReferences<T extends Resource>(references: readonly Reference<T>[]): Promise<(T | Error)[]> {
    return Promise.all(
      references.map((reference) =>
        this.readReference(reference).catch((err: unknown) =>
          err instanceof Error ? err : new OperationOutcomeError(normalizeOperationOutcome(err))
        )
      )
    );
  }

  async readHistory<T extends Resource>(
    resourceType: string,
    id: string,
    options?: ReadHistoryOptions
  ): Promise<Bundle<WithId<T>>> {
    // As on the server: the current version decides whether the member may see the history.
    this.requireType(HISTORY, resourceType);
    this.requireVisible(await this.base.readResource(resourceType, id), HISTORY);
    return this.base.readHistory<T>(resourceType, id, options);
  }

  async readVersion<T extends Resource>(resourceType: string, id: string, versionId: string): Promise<WithId<T>> {
    this.requireType(VREAD, resourceType);
    this.requireVisible(await this.base.readResource(resourceType, id), VREAD);
    return this.base.readVersion<T>(resourceType, id, versionId);
  }

  async search<T extends Resource>(
    searchRequest: SearchRequest<T>,
    options?: SearchOptions
  ): Promise<Bundle<WithId<T>>> {
    const types = searchRequest.types?.length ? searchRequest.types : [searchRequest.resourceType];
    for (const resourceType of types) {
      this.requireType(SEARCH, resourceType);
    }
    const request = { ...searchRequest, include: undefined, revInclude: undefined };
    const bundle = types.every((resourceType) => this.isUnrestricted(SEARCH, resourceType))
      ? await this.base.search(request, options)
      : await searchVisible(this.base, request, (r) => this.allows(r, SEARCH));
    if ((searchRequest.include || searchRequest.revInclude) && bundle.entry?.length) {
      // Included resources go through our reads and searches, so they are filtered too.
      // A revinclude of a type they may not search adds nothing rather than failing the search.
      const entries = bundle.entry;
      const resources = entries.map((e) => e.resource as WithId<T>);
      await getExtraEntries(this, searchRequest, resources, entries, {
        executeSearch: async (sub) => (this.supports(SEARCH, sub.resourceType) ? this.searchResources(sub) : []),
      });
    }
    return bundle;
  }

  async searchByReference<T extends Resource>(
    searchRequest: SearchRequest<T>,
    referenceField: string,
    references: string[]
  ): Promise<Record<string, WithId<T>[]>> {
    const result: Record<string, WithId<T>[]> = {};
    for (const reference of references) {
      const byReference = { code: referenceField, operator: Operator.EQUALS, value: reference };
      const filters = [...(searchRequest.filters ?? []), byReference];
      result[reference] = await this.searchResources({ ...searchRequest, filters });
    }
    return result;
  }

  async createResource<T extends Resource>(resource: T, options?: CreateResourceOptions): Promise<WithId<T>> {
    this.requireType(CREATE, resource.resourceType);
    return this.base.createResource(resource, this.writeOptions(options));
  }

  async updateResource<T extends Resource>(resource: T, options?: UpdateResourceOptions): Promise<WithId<T>> {
    if (!resource.id) {
      throw new OperationOutcomeError(badRequest('Missing id'));
    }
    const previous = await this.readOrUndefined(resource.resourceType, resource.id);
    // Update-as-create when there is nothing to update.
    this.requireType(previous ? UPDATE : CREATE, resource.resourceType);
    if (previous) {
      this.requireVisible(previous, READ);
      this.requireAllowed(previous, UPDATE);
    }
    return this.base.updateResource(resource, this.writeOptions(options));
  }

  async patchResource<T extends Resource>(
    resourceType: T['resourceType'],
    id: string,
    patch: Operation[] | Parameters,
    options?: UpdateResourceOptions
  ): Promise<WithId<T>> {
    this.requireType(UPDATE, resourceType);
    const current = await this.readResource<T>(resourceType, id);
    return this.updateResource(applyResourcePatch(current, patch), options);
  }

  async deleteResource(resourceType: string, id: string, options?: DeleteResourceOptions): Promise<void> {
    this.requireType(DELETE, resourceType);
    const current = this.requireVisible(await this.base.readResource(resourceType, id), READ);
    this.requireAllowed(current, DELETE);
    await this.base.deleteResource(resourceType, id, options);
  }

  async withTransaction<TResult>(callback: (repo: this) => Promise<TResult>): Promise<TResult> {
    return callback(this);
  }

  /**
   * Tells the accounts layer who writes: a non-admin's own `meta.accounts` are ignored, new
   * resources get the policy compartment, and the stored form must satisfy a rule.
   */
  private writeOptions<T extends object>(options: T | undefined): T & AccountsWriteOptions {
    return {
      ...(options as T),
      accountsWriter: {
        canWriteAccounts: !!this.membership.admin,
        compartment: this.policy.compartment,
        checkWrite: (candidate, previous) => this.requireAllowed(candidate, previous ? UPDATE : CREATE),
      },
    };
  }

  private supports(interaction: AccessPolicyInteraction, resourceType: string): boolean {
    return accessPolicySupportsInteraction(this.policy, interaction, resourceType as ResourceType);
  }

  private allows(resource: Resource, interaction: AccessPolicyInteraction): boolean {
    return satisfiedAccessPolicy(resource, interaction, this.policy) !== undefined;
  }

  /** True when some rule for the type allows the interaction on every resource of it. */
  private isUnrestricted(interaction: AccessPolicyInteraction, resourceType: string): boolean {
    return !!this.policy.resource?.some(
      (rule) =>
        (rule.resourceType === resourceType || rule.resourceType === '*') &&
        !rule.criteria &&
        !rule.compartment &&
        (!rule.interaction || rule.interaction.includes(interaction)) &&
        this.supports(interaction, resourceType)
    );
  }

  /** A type no rule lists for this interaction: 403. */
  private requireType(interaction: AccessPolicyInteraction, resourceType: string): void {
    if (!this.supports(interaction, resourceType)) {
      throw new OperationOutcomeError(forbidden);
    }
  }

  /** A resource outside every rule does not exist for this member: 404. */
  private requireVisible<R extends Resource>(resource: R, interaction: AccessPolicyInteraction): R {
    if (!this.allows(resource, interaction)) {
      throw new OperationOutcomeError(notFound);
    }
    return resource;
  }

  /** A resource the member can see but may not change this way (or would move outside): 403. */
  private requireAllowed(resource: Resource, interaction: AccessPolicyInteraction): void {
    if (!this.allows(resource, interaction)) {
      throw new OperationOutcomeError(forbidden);
    }
  }

  private async readOrUndefined(resourceType: string, id: string): Promise<WithId<Resource> | undefined> {
    try {
      return await this.base.readResource(resourceType, id);
    } catch (err) {
      if (err instanceof OperationOutcomeError && isNotFound(err.outcome)) {
        return undefined;
      }
      throw err;
    }
  }
}
