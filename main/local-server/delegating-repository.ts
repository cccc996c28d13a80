import type { Operation, SearchRequest, WithId } from '@medplum/core';
import type {
  CreateResourceOptions,
  DeleteResourceOptions,
  ReadHistoryOptions,
  RepositoryMode,
  SearchOptions,
  TransactionOptions,
  UpdateResourceOptions,
} from '@medplum/fhir-router';
import { FhirRepository } from '@medplum/fhir-router';
import type { Bundle, Parameters, Reference, Resource } from '@medplum/fhirtypes';

/**
 * A FhirRepository that forwards every call to another one: the base for wrappers that add one
 * concern (here: the write quota) without re-implementing storage.
 */
export class DelegatingRepository extends FhirRepository {
  constructor(protected readonly inner: FhirRepository) {
    super();
  }

  setMode(mode: RepositoryMode): void {
    this.inner.setMode(mode);
  }
  createResource<T extends Resource>(resource: T, options?: CreateResourceOptions): Promise<WithId<T>> {
    return this.inner.createResource(resource, options);
  }
  generateId(): string {
    return this.inner.generateId();
  }
  readResource<T extends Resource>(resourceType: string, id: string): Promise<WithId<T>> {
    return this.inner.readResource<T>(resourceType, id);
  }
  readReference<T extends Resource>(reference: Reference<T>): Promise<WithId<T>> {
    return this.inner.readReference(reference);
  }
  readReferences<T extends Resource>(references: readonly Reference<T>[]): Promise<(T | Error)[]> {
    return this.inner.readReferences(references);
  }
  readHistory<T extends Resource>(
    resourceType: string,
    id: string,
    options?: ReadHistoryOptions
  ): Promise<Bundle<WithId<T>>> {
    return this.inner.readHistory<T>(resourceType, id, options);
  }
  readVersion<T extends Resource>(resourceType: string, id: string, vid: string): Promise<WithId<T>> {
    return this.inner.readVersion<T>(resourceType, id, vid);
  }
  updateResource<T extends Resource>(resource: T, options?: UpdateResourceOptions): Promise<WithId<T>> {
    return this.inner.updateResource(resource, options);
  }
  deleteResource(resourceType: string, id: string, options?: DeleteResourceOptions): Promise<void> {
    return this.inner.deleteResource(resourceType, id, options);
  }
  patchResource<T extends Resource>(
    resourceType: T['resourceType'],
    id: string,
    patch: Operation[] | Parameters,
    options?: UpdateResourceOptions
  ): Promise<WithId<T>> {
    return this.inner.patchResource<T>(resourceType, id, patch, options);
  }
  search<T extends Resource>(searchRequest: SearchRequest<T>, options?: SearchOptions): Promise<Bundle<WithId<T>>> {
    return this.inner.search(searchRequest, options);
  }
  searchByReference<T extends Resource>(
    searchRequest: SearchRequest<T>,
    referenceField: string,
    references: string[]
  ): Promise<Record<string, WithId<T>[]>> {
    return this.inner.searchByReference(searchRequest, referenceField, references);
  }
  withTransaction<TResult>(callback: (txRepo: this) => Promise<TResult>, options: TransactionOptions): Promise<TResult> {
    return this.inner.withTransaction(() => callback(this), options);
  }
}
