import { getDataType, validateResource } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
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
