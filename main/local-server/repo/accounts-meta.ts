import { extractAccountReferences } from '@medplum/core';
import type { Meta, Reference, Resource } from '@medplum/fhirtypes';
import { getPatientReferences } from './patient-compartment';

/**
 * True for a reference an access policy left unresolved ("%organization" in a membership that has
 * no such parameter). Such a value must never become an account or a compartment, or a member
 * with no clinic could create and then see resources "in" the literal compartment "%organization".
 */
export function isUnresolvedReference(reference: string | undefined): boolean {
  return !reference || reference.includes('%');
}

/** The account list a meta carries (`accounts`, else `account`), as Medplum reads it. */
export function accountsOf(meta: Meta | undefined): Reference[] | undefined {
  return extractAccountReferences(meta);
}

/** Returns the meta with `accounts` set and `account` = the first one; both removed when empty. */
export function withAccounts(meta: Meta, accounts: Reference[] | undefined): Meta {
  const result: Meta = { ...meta };
  delete result.accounts;
  delete result.account;
  if (accounts?.length) {
    result.accounts = accounts;
    result.account = accounts[0];
  }
  return result;
}

/**
 * `meta.compartment` as the server derives it: the project, each account (project references
 * excluded: the project is already there) and each patient whose compartment holds the resource.
 */
export function deriveCompartments(resource: Resource, projectId: string): Reference[] {
  const result = new Set<string>([`Project/${projectId}`]);
  for (const account of accountsOf(resource.meta) ?? []) {
    const reference = account.reference;
    if (reference && !reference.startsWith('Project/') && !isUnresolvedReference(reference)) {
      result.add(reference);
    }
  }
  for (const patient of getPatientReferences(resource)) {
    result.add(patient);
  }
  return [...result].map((reference) => ({ reference }));
}

/** Account list union keeping first-seen order, deduplicated by reference string. */
export function unionAccounts(...lists: (Reference[] | undefined)[]): Reference[] {
  const seen = new Map<string, Reference>();
  for (const list of lists) {
    for (const account of list ?? []) {
      if (account.reference && !seen.has(account.reference)) {
        seen.set(account.reference, account);
      }
    }
  }
  return [...seen.values()];
}
