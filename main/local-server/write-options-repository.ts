import type { Operation, WithId } from '@medplum/core';
import type { CreateResourceOptions, FhirRepository, UpdateResourceOptions } from '@medplum/fhir-router';
import type { Parameters, Reference, Resource } from '@medplum/fhirtypes';
import { DelegatingRepository } from './delegating-repository';
import type { AccountsWriteOptions } from './repo/accounts-repository';

/** Who a client's write is recorded as: Medplum's `meta.author` and `meta.onBehalfOf`. */
export interface AttributionWriteOptions {
  /** The signed-in membership's profile. */
  readonly author?: Reference;
  /** The profile the request acted as (`X-Medplum-On-Behalf-Of`), if any. */
  readonly onBehalfOf?: Reference;
}

/** Everything a request may tell the accounts layer about its writes. */
export type RequestWriteOptions = AccountsWriteOptions & AttributionWriteOptions;

/**
 * Adds options to every create, update and patch on the way in (what the request says about its
 * writes: validate them, who writes, whether accounts may be set). Options the caller passes, or
 * that a layer below sets (the policy layer's writer), win over these.
 */
export class WriteOptionsRepository extends DelegatingRepository {
  constructor(
    inner: FhirRepository,
    private readonly extra: RequestWriteOptions
  ) {
    super(inner);
  }

  override createResource<T extends Resource>(resource: T, options?: CreateResourceOptions): Promise<WithId<T>> {
    return super.createResource(resource, this.merged(options));
  }
  override updateResource<T extends Resource>(resource: T, options?: UpdateResourceOptions): Promise<WithId<T>> {
    return super.updateResource(resource, this.merged(options));
  }
  override patchResource<T extends Resource>(
    resourceType: T['resourceType'],
    id: string,
    patch: Operation[] | Parameters,
    options?: UpdateResourceOptions
  ): Promise<WithId<T>> {
    return super.patchResource<T>(resourceType, id, patch, this.merged(options));
  }

  private merged<T extends object>(options: T | undefined): T & RequestWriteOptions {
    return { ...this.extra, ...(options as T) };
  }
}
