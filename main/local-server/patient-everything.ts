import type { WithId } from '@medplum/core';
import { getReferenceString, isReference, isResource, Operator } from '@medplum/core';
import type { FhirRepository } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, Reference, Resource, ResourceType } from '@medplum/fhirtypes';
import { stripExtendedMeta } from './extended-mode';
import { getPatientCompartmentTypes } from './repo/patient-compartment';

const MAX_RESULTS = 1000;

// Types outside the patient compartment that $everything still brings in when referenced.
const RESOLVED_REFERENCE = /^(Organization|Location|Practitioner|PractitionerRole|Medication|Device)\//;

/**
 * `Patient/<id>/$everything` as Medplum 5 answers it: one search over every patient-compartment
 * type (Binary excepted) for `_compartment=Patient/<id>`, then the Organizations, Locations,
 * Practitioners, ... those resources reference, read as the caller (unreadable ones left out).
 * The search comes first, so a member who may not search every one of those types gets 403 even
 * for a patient they cannot see or that does not exist (what the real server answers); otherwise
 * a patient they cannot read is 404. References are followed in each resource as the caller is
 * shown it: without extended mode, `meta.author` (and the other extended fields) are not there.
 */
export async function patientEverything(repo: FhirRepository, patientId: string, extendedMode: boolean): Promise<Bundle> {
  const types = [...new Set([...getPatientCompartmentTypes().filter((t) => t !== 'Binary'), 'Patient'])].sort();
  const found = await repo.search({
    resourceType: 'Patient',
    types: types as ResourceType[],
    filters: [{ code: '_compartment', operator: Operator.EQUALS, value: `Patient/${patientId}` }],
    count: MAX_RESULTS,
    sortRules: [{ code: '_id' }],
  });
  await repo.readResource('Patient', patientId);
  const entries: BundleEntry[] = (found.entry ?? []).map((e) => ({ resource: e.resource, search: { mode: 'match' } }));
  await addReferencedResources(repo, entries, extendedMode);
  return { resourceType: 'Bundle', type: 'searchset', entry: withoutDuplicates(entries) };
}

async function addReferencedResources(repo: FhirRepository, entries: BundleEntry[], extendedMode: boolean): Promise<void> {
  const seen = new Set<string>();
  let page = entries;
  while (page.length) {
    const references: Reference[] = [];
    for (const entry of page) {
      const resource = entry.resource as WithId<Resource>;
      seen.add(getReferenceString(resource));
      for (const reference of referencesIn(extendedMode ? resource : stripExtendedMeta(resource))) {
        if (!seen.has(reference) && RESOLVED_REFERENCE.test(reference)) {
          seen.add(reference);
          references.push({ reference });
        }
      }
    }
    // Asked even with none left, as Medplum does (so the quota counts the same points).
    const resolved = await repo.readReferences(references);
    page = resolved.filter((r): r is WithId<Resource> => isResource(r)).map((resource) => ({ resource, search: { mode: 'include' } }));
    entries.push(...page);
  }
}

function referencesIn(value: unknown, found = new Set<string>()): Set<string> {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) {
      if (isReference(child)) {
        found.add(child.reference);
      } else {
        referencesIn(child, found);
      }
    }
  }
  return found;
}

function withoutDuplicates(entries: BundleEntry[]): BundleEntry[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const key = getReferenceString(entry.resource as Resource) ?? '';
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}
