import type { Operation, WithId } from '@medplum/core';
import {
  applyPatch,
  badRequest,
  fhirpathPatchTypedValue,
  normalizeOperationOutcome,
  OperationOutcomeError,
  parseFhirPathPatchParameters,
  toTypedValue,
} from '@medplum/core';
import type { Parameters, Resource } from '@medplum/fhirtypes';

/**
 * Applies a JSON Patch (or a FHIRPath Patch `Parameters`) to a copy of the resource, as
 * MemoryRepository does. Our repositories patch by "read, apply, update" so that the update goes
 * through their own rules (accounts, compartments, access policy) instead of the base store's.
 */
export function applyResourcePatch<T extends Resource>(resource: WithId<T>, patch: Operation[] | Parameters): WithId<T> {
  const result = structuredClone(resource);
  try {
    if (Array.isArray(patch)) {
      const errors = applyPatch(result, patch).filter(Boolean);
      if (errors.length > 0) {
        throw new OperationOutcomeError(badRequest(errors.map((e) => e?.message).join('\n')));
      }
    } else if (patch.parameter) {
      fhirpathPatchTypedValue(toTypedValue(result), parseFhirPathPatchParameters(patch));
    }
  } catch (err) {
    throw new OperationOutcomeError(normalizeOperationOutcome(err));
  }
  return result;
}
