/** Access history, the shared trail and undo (issue 13; docs/history.md). */
import type { ActivityEntry } from '../engines/activity-log';
import type { SessionEngine } from '../enrollment/session-engine';
import { listTrail } from '../history/trail';
import { recentChanges } from '../history/recent-changes';
import { accessTimeline } from '../history/timeline';
import { type LocalEntryLookup, planOf, previewPlan, applyPlan } from '../history/undo';
import { undoImport, previewImportUndo } from '../history/undo-import';
import type { JobRegistry } from '../jobs/job-registry';
import type { HandlerMap } from './dispatcher';

type HistoryChannel = 'getAccessTimeline' | 'listRecentChanges' | 'listTrail' | 'previewUndo' | 'applyUndo';

export function createHistoryHandlers(engine: SessionEngine, jobs: JobRegistry): Pick<HandlerMap, HistoryChannel> {
  const pending = () => engine.trail().outbox.pending();
  // Entries of this desktop: still in the outbox, or already in the local log.
  const findLocal: LocalEntryLookup = async (id) => {
    const waiting = (await pending()).find((e) => e.id === id);
    if (waiting) return waiting;
    const page = await engine.activityLog().read({ count: 1, filter: (e: ActivityEntry) => e.id === id });
    return page.entries[0];
  };
  return {
    getAccessTimeline: async (request) => {
      const ctx = await engine.read();
      return accessTimeline(ctx.client, ctx.projectId, request);
    },
    listRecentChanges: async (request) => {
      const ctx = await engine.read();
      return recentChanges(ctx.client, ctx.projectId, request);
    },
    listTrail: async (request) => {
      const ctx = await engine.read();
      // Whatever waited offline goes first, so the page shows it as sent when it can be.
      await engine.trail().sink.flush().catch(() => 0);
      return listTrail(ctx.client, await pending(), request);
    },
    previewUndo: async ({ target }) => {
      const ctx = await engine.write();
      if ('importId' in target) return previewImportUndo(ctx, target.importId, await pending());
      return previewPlan(ctx, await planOf(ctx, target, findLocal));
    },
    applyUndo: async ({ target, scope }) => {
      const ctx = await engine.write();
      if ('importId' in target) {
        const { jobId } = undoImport(ctx, jobs, target.importId, await pending());
        return { jobId, summary: 'Undoing the import: its rows are put back one by one.', trailId: null };
      }
      const plan = await planOf(ctx, target, findLocal);
      const { sentence } = await applyPlan(ctx, plan, scope);
      // The undo's own entry: the newest of this desktop's log for that record (`local:` ids resolve here).
      const own = (await engine.activityLog().read({ count: 1, filter: (e) => e.targets[0] === plan.subject })).entries[0];
      return { jobId: null, summary: `Undone. ${sentence}`, trailId: own?.id ? `local:${own.id}` : null };
    },
  };
}
