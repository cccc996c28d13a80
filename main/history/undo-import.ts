/**
 * An import undone as a job: each of its rows that changed access is undone in turn (newest
 * first), exactly, with the engines' writes. A row whose record changed since is left as it is and
 * counted: the administrator undoes it alone from Activity, where the conflict is explained.
 */
import type { UndoPreview } from '../../preload/api/schemas/history';
import type { ActivityEntry } from '../engines/activity-log';
import type { EngineContext } from '../engines/engine-context';
import { AppError } from '../errors/app-error';
import type { JobRegistry } from '../jobs/job-registry';
import { applyPlan, importEntries, planOfEntry } from './undo';
import { hasConflict } from './undo-plan';

export async function previewImportUndo(ctx: EngineContext, importId: string, pending: readonly (ActivityEntry & { id: string })[]): Promise<UndoPreview> {
  const rows = await importEntries(ctx, importId, pending);
  let undoable = 0;
  let conflicting = 0;
  for (const { entry, trailId } of rows) {
    const plan = await planOfEntry(ctx, entry, trailId);
    if (!plan) continue;
    if (hasConflict(plan)) conflicting++;
    else undoable++;
  }
  const rowsWord = (n: number) => `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;
  return {
    sentence:
      `The import’s ${rowsWord(undoable)} that changed access will be put back as they were before it` +
      (conflicting ? `; ${rowsWord(conflicting)} changed since and will be left (undo them one by one from Activity).` : '.'),
    changes: [],
    conflicts: [],
    undoable: undoable > 0,
    inverseAvailable: false,
    kind: 'job',
    count: undoable,
  };
}

export function undoImport(ctx: EngineContext, jobs: JobRegistry, importId: string, pending: readonly (ActivityEntry & { id: string })[]): { jobId: string } {
  const handle = jobs.start(
    'undo-import',
    async ({ signal, report }) => {
      const rows = await importEntries(ctx, importId, pending);
      if (!rows.length) throw new AppError('not_found', 'No entries of that import were found.');
      let undone = 0;
      let left = 0;
      let done = 0;
      report({ done, total: rows.length, message: 'Undoing the import…' });
      for (const { entry, trailId } of rows) {
        // Cancel stops between rows: every row is either undone or untouched.
        if (signal.aborted) break;
        const plan = await planOfEntry(ctx, entry, trailId);
        if (plan && hasConflict(plan)) left++;
        else if (plan) {
          await applyPlan(ctx, plan, 'exact');
          undone++;
        }
        report({ done: ++done, total: rows.length });
      }
      return { undone, left, stopped: done < rows.length };
    },
    {
      describe: (r) =>
        `${r.undone.toLocaleString('en-US')} row${r.undone === 1 ? '' : 's'} of the import undone` +
        (r.left ? `; ${r.left.toLocaleString('en-US')} left because they changed since` : '') +
        (r.stopped ? '; stopped before the end' : '') +
        '.',
      ...(ctx.sessionEnded ? { cancelWhen: ctx.sessionEnded } : {}),
    }
  );
  return { jobId: handle.jobId };
}
