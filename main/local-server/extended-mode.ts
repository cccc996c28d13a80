import type { Operation, WithId } from '@medplum/core';
import type { CreateResourceOptions, UpdateResourceOptions } from '@medplum/fhir-router';
import type { Parameters, Resource } from '@medplum/fhirtypes';
import { DelegatingRepository } from './delegating-repository';
import type { AccountsWriteOptions, AccountsWriter } from './repo/accounts-repository';

// Medplum returns these meta fields only to clients that send `X-Medplum: extended`.
const EXTENDED_META_FIELDS = ['project', 'compartment', 'account', 'author', 'onBehalfOf'] as const;

export function wantsExtendedMode(header: string | string[] | undefined): boolean {
  return (Array.isArray(header) ? header : [header]).some((value) => value?.toLowerCase() === 'extended');
}

/** Removes the extended meta fields from a resource and from any resources inside a Bundle. */
export function stripExtendedMeta<T>(body: T): T {
  if (!body || typeof body !== 'object') {
    return body;
  }
  const resource = body as unknown as Resource;
  const result = { ...resource } as Resource & { entry?: { resource?: Resource }[] };
  if (result.meta) {
    const meta = { ...result.meta } as Record<string, unknown>;
    for (const field of EXTENDED_META_FIELDS) {
      delete meta[field];
    }
    result.meta = meta;
  }
  if (result.resourceType === 'Bundle' && Array.isArray(result.entry)) {
    result.entry = result.entry.map((entry) => (entry.resource ? { ...entry, resource: stripExtendedMeta(entry.resource) } : entry));
  }
  return result as unknown as T;
}

/**
 * A project admin may set `meta.accounts` only in extended mode: without `X-Medplum: extended`
 * Medplum ignores the accounts they send and derives them, like anyone else's (a Patient keeps
 * its own, a related resource inherits its patient's). Wrapped around the request's repository
 * for such requests; a non-admin's policy layer sets its own writer and is unaffected.
 */
export class DerivedAccountsRepository extends DelegatingRepository {
  override createResource<T extends Resource>(resource: T, options?: CreateResourceOptions): Promise<WithId<T>> {
    return super.createResource(resource, withDerivedAccounts(options));
  }
  override updateResource<T extends Resource>(resource: T, options?: UpdateResourceOptions): Promise<WithId<T>> {
    return super.updateResource(resource, withDerivedAccounts(options));
  }
  override patchResource<T extends Resource>(
    resourceType: T['resourceType'],
    id: string,
    patch: Operation[] | Parameters,
    options?: UpdateResourceOptions
  ): Promise<WithId<T>> {
    return super.patchResource<T>(resourceType, id, patch, withDerivedAccounts(options));
  }
}

const DERIVED_ACCOUNTS_WRITER: AccountsWriter = { canWriteAccounts: false };

function withDerivedAccounts<T extends object>(options: T | undefined): T & AccountsWriteOptions {
  const given = options as (T & AccountsWriteOptions) | undefined;
  return { ...(options as T), accountsWriter: given?.accountsWriter ?? DERIVED_ACCOUNTS_WRITER };
}
