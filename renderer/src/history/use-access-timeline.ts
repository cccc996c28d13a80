/**
 * A record's access timeline, page by page: the newest page is a query (reloaded after a change
 * or an undo), and "Show older changes" appends the next page from where the last one stopped.
 */
import { useCallback, useEffect, useState } from 'react';
import type { IpcError } from '../../../preload/api/contract';
import type { TimelineEntry } from '../../../preload/api/schemas/history';
import { useApi } from '../api/api-context';
import { type ApiQuery, useApiQuery } from '../api/use-api-query';

const PAGE_SIZE = 20;

export interface AccessTimelineState {
  entries: TimelineEntry[];
  query: ApiQuery<unknown>;
  hasMore: boolean;
  loadingMore: boolean;
  moreError: IpcError | null;
  showMore: () => void;
  reload: () => void;
}

export function useAccessTimeline(record: string): AccessTimelineState {
  const api = useApi();
  const first = useApiQuery(() => api.getAccessTimeline({ record, count: PAGE_SIZE }), [api, record]);
  const [older, setOlder] = useState<{ entries: TimelineEntry[]; nextBefore: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<IpcError | null>(null);
  // A fresh first page (after a change) starts the older pages over.
  useEffect(() => {
    setOlder(null);
    setMoreError(null);
  }, [first.data]);

  const nextBefore = older ? older.nextBefore : (first.data?.nextBefore ?? null);
  const showMore = useCallback(async () => {
    if (!nextBefore) return;
    setLoadingMore(true);
    setMoreError(null);
    const result = await api.getAccessTimeline({ record, count: PAGE_SIZE, before: nextBefore });
    setLoadingMore(false);
    if (!result.ok) {
      setMoreError(result.error);
      return;
    }
    setOlder((previous) => ({ entries: [...(previous?.entries ?? []), ...result.value.entries], nextBefore: result.value.nextBefore }));
  }, [api, record, nextBefore]);

  return {
    entries: [...(first.data?.entries ?? []), ...(older?.entries ?? [])],
    query: first,
    hasMore: nextBefore !== null,
    loadingMore,
    moreError,
    showMore: () => void showMore(),
    reload: first.reload,
  };
}
