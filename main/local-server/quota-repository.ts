import type { Operation, SearchRequest, WithId } from '@medplum/core';
import type {
  CreateResourceOptions,
  DeleteResourceOptions,
  FhirRepository,
  ReadHistoryOptions,
  SearchOptions,
  UpdateResourceOptions,
} from '@medplum/fhir-router';
import type { Bundle, Parameters, Reference, Resource } from '@medplum/fhirtypes';
import { DelegatingRepository } from './delegating-repository';
import type { WriteQuotaLedger } from './write-quota';

/**
 * Charges each repository interaction against the membership's budget before doing it, as the
 * hosted server does (so entries of a batch are charged one by one, and a spent budget stops
 * the rest of the batch with 429).
 */
export class QuotaRepository extends DelegatingRepository {
  constructor(
    inner: FhirRepository,
    private readonly ledger: WriteQuotaLedger,
    private readonly membershipId: string
  ) {
    super(inner);
  }

  private spend(points: number): void {
    this.ledger.charge(this.membershipId, points);
  }

  override createResource<T extends Resource>(resource: T, options?: CreateResourceOptions): Promise<WithId<T>> {
    this.spend(this.ledger.costs.write);
    return super.createResource(resource, options);
  }
  override updateResource<T extends Resource>(resource: T, options?: UpdateResourceOptions): Promise<WithId<T>> {
    this.spend(this.ledger.costs.write);
    return super.updateResource(resource, options);
  }
  override patchResource<T extends Resource>(
    resourceType: T['resourceType'],
    id: string,
    patch: Operation[] | Parameters,
    options?: UpdateResourceOptions
  ): Promise<WithId<T>> {
    this.spend(this.ledger.costs.write);
    return super.patchResource<T>(resourceType, id, patch, options);
  }
  override deleteResource(resourceType: string, id: string, options?: DeleteResourceOptions): Promise<void> {
    this.spend(this.ledger.costs.write);
    return super.deleteResource(resourceType, id, options);
  }
  override search<T extends Resource>(
    searchRequest: SearchRequest<T>,
    options?: SearchOptions
  ): Promise<Bundle<WithId<T>>> {
    this.spend(this.ledger.costs.search);
    return super.search(searchRequest, options);
  }
  override readResource<T extends Resource>(resourceType: string, id: string): Promise<WithId<T>> {
    this.spend(this.ledger.costs.read);
    return super.readResource<T>(resourceType, id);
  }
  override readReference<T extends Resource>(reference: Reference<T>): Promise<WithId<T>> {
    this.spend(this.ledger.costs.read);
    return super.readReference(reference);
  }
  override readReferences<T extends Resource>(references: readonly Reference<T>[]): Promise<(T | Error)[]> {
    this.spend(this.ledger.costs.read * Math.max(references.length, 1));
    return super.readReferences(references);
  }
  override readHistory<T extends Resource>(
    resourceType: string,
    id: string,
    options?: ReadHistoryOptions
  ): Promise<Bundle<WithId<T>>> {
    this.spend(this.ledger.costs.history);
    return super.readHistory<T>(resourceType, id, options);
  }
  override readVersion<T extends Resource>(resourceType: string, id: string, vid: string): Promise<WithId<T>> {
    this.spend(this.ledger.costs.read);
    return super.readVersion<T>(resourceType, id, vid);
  }
}
