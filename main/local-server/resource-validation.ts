import type { Operation, WithId } from '@medplum/core';
import { getDataType, validateResource } from '@medplum/core';
import type { CreateResourceOptions, UpdateResourceOptions } from '@medplum/fhir-router';
import type { Parameters, Resource } from '@medplum/fhirtypes';
import { DelegatingRepository } from './delegating-repository';
import { loadFhirDefinitions } from './repo/definitions';

/**
 * Write options asking the accounts layer to validate what it is about to store. They travel in
 * the ordinary options argument (like `accountsWriter`), so the check runs where the real server
 * runs it: after the access-policy and `If-Match` checks, on the resource with its meta filled in,
 * and before the check that the stored form stays inside the writer's policy.
 */
export interface ValidationWriteOptions {
  readonly validateOnWrite?: boolean;
}

/**
 * Throws the real server's 400 (an OperationOutcome whose issues say what is wrong, for example
 * "Missing required property" at `Observation.status`) when the resource does not conform to its
 * StructureDefinition, the same definitions the server indexes for search.
 */
export function validateStoredForm(resource: Resource): void {
  loadFhirDefinitions();
  // Medplum 5.0's validator looks the type up first: an unknown one is 400 "Unknown data type: X".
  getDataType(resource.resourceType);
  validateResource(resource);
}

/**
 * The repository a client's request writes through: every create, update and patch is validated
 * (the server's own writes, the seed and benchmarks' bulk loads, are not: they are ours and valid).
 */
export class ValidatingRepository extends DelegatingRepository {
  override createResource<T extends Resource>(resource: T, options?: CreateResourceOptions): Promise<WithId<T>> {
    return super.createResource(resource, withValidation(options));
  }
  override updateResource<T extends Resource>(resource: T, options?: UpdateResourceOptions): Promise<WithId<T>> {
    return super.updateResource(resource, withValidation(options));
  }
  override patchResource<T extends Resource>(
    resourceType: T['resourceType'],
    id: string,
    patch: Operation[] | Parameters,
    options?: UpdateResourceOptions
  ): Promise<WithId<T>> {
    return super.patchResource<T>(resourceType, id, patch, withValidation(options));
  }
}

function withValidation<T extends object>(options: T | undefined): T & ValidationWriteOptions {
  return { ...(options as T), validateOnWrite: true };
}
