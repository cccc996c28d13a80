import { useEffect, useRef, useState } from 'react';
import type { UndoTarget } from '../../../preload/api/schemas/history';
import { ErrorNotice } from '../components/ErrorNotice';
import { AccessTimeline } from './AccessTimeline';
import { UndoDialog } from './UndoDialog';
import { useAccessTimeline } from './use-access-timeline';

/**
 * The "Access history" of a patient, clinician or clinic page, with Undo for administrators.
 * `changed` is whatever the page last changed (its answer from main): a new one reads the history again.
 */
export function AccessHistory({
  record,
  canUndo,
  emptyText,
  changed,
  onUndone,
}: {
  record: string;
  canUndo: boolean;
  emptyText: string;
  changed?: unknown;
  /** After an undo, so the page reads the record again. */
  onUndone: () => void;
}) {
  const timeline = useAccessTimeline(record);
  const [target, setTarget] = useState<UndoTarget | null>(null);
  const seen = useRef(changed);
  const { reload } = timeline;
  useEffect(() => {
    if (seen.current === changed) return;
    seen.current = changed;
    reload();
  }, [changed, reload]);

  return (
    <>
      <AccessTimeline
        entries={timeline.entries}
        query={timeline.query}
        emptyText={emptyText}
        hasMore={timeline.hasMore}
        loadingMore={timeline.loadingMore}
        onShowMore={timeline.showMore}
        onUndo={canUndo ? (entry) => setTarget({ record: entry.resource, versionId: entry.versionId }) : undefined}
      />
      {timeline.moreError && <ErrorNotice error={timeline.moreError} title="Could not read older changes" />}
      <UndoDialog
        target={target}
        onClose={() => setTarget(null)}
        onDone={() => {
          reload();
          onUndone();
        }}
      />
    </>
  );
}
