import type { MedplumClient, MedplumRequestOptions, WithId } from '@medplum/core';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { AppError } from '../errors/app-error';
import { fresh } from '../engines/engine-context';
import { toAppError } from '../engines/server-errors';

/** Medplum's largest page. */
export const AUDIT_PAGE = 1000;

/**
 * The audit's only way to the server: every read goes through here and is counted, so the report
 * (and the benchmark) can state how many requests an audit took. A batch is one request.
 */
export class AuditReader {
  requests = 0;
  /** Told after each request answers (the audit job's progress). */
  private readonly answered = new Set<(requests: number) => void>();

  constructor(
    readonly client: MedplumClient,
    readonly pageSize = AUDIT_PAGE,
    private readonly signal?: AbortSignal,
  ) {}

  /** Every match of `Type?query`, following `next` links (sorted by _lastUpdated: cursor paging on Medplum). */
  async all<T extends Resource>(resourceType: string, query: Record<string, string>, action: string, headers?: Record<string, string>): Promise<WithId<T>[]> {
    const params = new URLSearchParams({ _sort: '_lastUpdated', _count: String(this.pageSize), ...query });
    let url: string | undefined = this.client.fhirUrl(resourceType).toString() + '?' + params.toString();
    const found: WithId<T>[] = [];
    while (url) {
      const page: Bundle<WithId<T>> = await this.get<Bundle<WithId<T>>>(url, action, headers);
      for (const entry of page.entry ?? []) {
        if (entry.resource) found.push(entry.resource);
      }
      url = page.link?.find((l) => l.relation === 'next')?.url;
    }
    return found;
  }

  async get<T>(url: string, action: string, headers?: Record<string, string>): Promise<T> {
    this.checkNotCancelled();
    this.requests++;
    try {
      return (await this.client.get<T>(url, { ...fresh(), ...(headers ? { headers } : {}) } as MedplumRequestOptions)) as T;
    } catch (err) {
      throw toAppError(err, action);
    } finally {
      this.tellAnswered();
    }
  }

  /** Calls `listener` with the request count after each request; returns the way to stop. */
  onAnswered(listener: (requests: number) => void): () => void {
    this.answered.add(listener);
    return () => this.answered.delete(listener);
  }

  private tellAnswered(): void {
    for (const listener of this.answered) listener(this.requests);
  }

  /** GETs in batch bundles of 50; each entry's body (or its failure status) in order. */
  async batch(urls: readonly string[], action: string): Promise<{ status: number; resource?: Resource }[]> {
    const results: { status: number; resource?: Resource }[] = [];
    for (let start = 0; start < urls.length; start += 50) {
      this.checkNotCancelled();
      const chunk = urls.slice(start, start + 50);
      this.requests++;
      let response: Bundle;
      try {
        response = await this.client.executeBatch({
          resourceType: 'Bundle',
          type: 'batch',
          entry: chunk.map((url) => ({ request: { method: 'GET', url } })),
        });
      } catch (err) {
        throw toAppError(err, action);
      } finally {
        this.tellAnswered();
      }
      chunk.forEach((_url, i) => {
        const entry: BundleEntry | undefined = response.entry?.[i];
        results.push({ status: Number.parseInt(entry?.response?.status ?? '0', 10), ...(entry?.resource ? { resource: entry.resource } : {}) });
      });
    }
    return results;
  }

  /** The `total` of each count search (`_summary=count`), in order; a failed one is an error. */
  async counts(urls: readonly string[], action: string): Promise<number[]> {
    return (await this.batch(urls, action)).map((r, i) => {
      const total = (r.resource as Bundle | undefined)?.total;
      if (r.status < 200 || r.status >= 300 || total === undefined) {
        throw new AppError('server_error', `The server could not ${action}. Try again; if it keeps failing, see Details.`, `${urls[i]}: ${r.status}`);
      }
      return total;
    });
  }

  private checkNotCancelled(): void {
    if (this.signal?.aborted) throw new AppError('cancelled', 'The audit was cancelled.');
  }
}
