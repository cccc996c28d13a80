/** Access history, the shared trail and undo (issue 13). */
import type { SessionEngine } from '../enrollment/session-engine';
import type { JobRegistry } from '../jobs/job-registry';
import { AppError } from '../errors/app-error';
import type { HandlerMap } from './dispatcher';

type HistoryChannel = 'getAccessTimeline' | 'listRecentChanges' | 'listTrail' | 'previewUndo' | 'applyUndo';

// The engine behind these lands in main/history/ next; until then each says so plainly.
const notYet = (): never => {
  throw new AppError('server_error', 'Access history is not available in this build yet.');
};

export function createHistoryHandlers(_engine: SessionEngine, _jobs: JobRegistry): Pick<HandlerMap, HistoryChannel> {
  return { getAccessTimeline: notYet, listRecentChanges: notYet, listTrail: notYet, previewUndo: notYet, applyUndo: notYet };
}
