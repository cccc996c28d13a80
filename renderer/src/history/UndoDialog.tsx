import { Alert, Button, Group, List, Modal, Skeleton, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { Envelope, IpcError } from '../../../preload/api/contract';
import type { ChangeResult } from '../../../preload/api/schemas/enrollment';
import type { UndoOutcome, UndoPreview, UndoTarget } from '../../../preload/api/schemas/history';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { useChange } from '../api/use-change';
import { ErrorNotice } from '../components/ErrorNotice';
import { LoadError } from '../components/LoadError';
import { JobProgressPanel } from '../jobs/JobProgressPanel';
import { useJob } from '../jobs/use-job';
import { formatCount } from '../people/sentences';
import { describeFieldChange } from './phrases';

/**
 * Undo one change: what the undo will do, in words, before anything is written; then the undo
 * (an import's as a job, with progress and Cancel). When the record changed since, the dialog says
 * what changed and offers to undo just this change, keeping the rest.
 */
export function UndoDialog({ target, onClose, onDone }: { target: UndoTarget | null; onClose: () => void; onDone: () => void }) {
  return (
    <Modal opened={target !== null} onClose={onClose} title="Undo this change?" size="lg">
      {/* Keyed, so nothing of one undo lingers in the next. */}
      {target && <UndoFlow key={JSON.stringify(target)} target={target} onClose={onClose} onDone={onDone} />}
    </Modal>
  );
}

type Scope = 'exact' | 'only-this-change';

function UndoFlow({ target, onClose, onDone }: { target: UndoTarget; onClose: () => void; onDone: () => void }) {
  const api = useApi();
  const preview = useApiQuery(() => api.previewUndo({ target }), [api]);
  const change = useChange<UndoOutcome>();
  const job = useJob();
  // A refusal at the moment of writing (the record changed after the preview): its explanation.
  const [refusal, setRefusal] = useState<IpcError | null>(null);

  const apply = async (scope: Scope, kind: UndoPreview['kind']) => {
    setRefusal(null);
    if (kind === 'job') {
      await job.start(async () => jobStart(await api.applyUndo({ target, scope })));
      return;
    }
    const done = await change.run(async () => asChange(await api.applyUndo({ target, scope })), 'Change undone');
    if (done) {
      onDone();
      onClose();
    }
  };
  // A conflict found while writing: say why, and read the preview again, which now offers the inverse.
  const reloadPreview = preview.reload;
  useEffect(() => {
    if (change.error?.code !== 'conflict') return;
    setRefusal(change.error);
    change.clearError();
    reloadPreview();
  }, [change.error, change.clearError, reloadPreview]);

  // The dialog opens while the preview is read, so focus goes to the safe choice once it is shown.
  const safeChoice = useRef<HTMLButtonElement>(null);
  useEffect(() => safeChoice.current?.focus(), [preview.data]);

  // An import's undo: the window announces its end; the lists behind reload once it stops.
  const ended = job.progress !== null && job.progress.state !== 'running';
  const reported = useRef(false);
  useEffect(() => {
    if (!ended || reported.current) return;
    reported.current = true;
    onDone();
  }, [ended, onDone]);

  if (job.progress) {
    return (
      <Stack gap="sm">
        <JobProgressPanel progress={job.progress} onCancel={job.cancel} />
        {ended && (
          <Group justify="flex-end" className="dialog-actions">
            <Button onClick={onClose}>Close</Button>
          </Group>
        )}
      </Stack>
    );
  }

  if (!preview.data) {
    return preview.error ? (
      <Stack gap="sm">
        <LoadError query={preview} title="Could not work out what the undo would do" />
        <Group justify="flex-end" className="dialog-actions">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
        </Group>
      </Stack>
    ) : (
      <Stack gap="xs" aria-busy="true" aria-label="Working out what the undo would do">
        <Skeleton h={20} />
        <Skeleton h={20} w="70%" />
      </Stack>
    );
  }

  const view = preview.data;
  const running = change.running || (job.progress === null && preview.loading);
  const keep = (
    <Button variant="default" onClick={onClose} ref={safeChoice}>
      Keep as it is
    </Button>
  );

  if (!view.undoable) {
    return (
      <Stack gap="sm">
        <Text size="sm" data-testid="undo-nothing-left">
          There is nothing left to undo: this change was already reversed, or it did not complete.
        </Text>
        <Group justify="flex-end" className="dialog-actions">
          <Button variant="default" onClick={onClose} ref={safeChoice}>
            Close
          </Button>
        </Group>
      </Stack>
    );
  }

  const conflicted = view.conflicts.length > 0;
  return (
    <Stack gap="sm">
      <Text size="sm" fw={500} data-testid="undo-preview">
        {view.sentence}
      </Text>
      {view.changes.length > 0 && (
        <List size="sm" spacing={2} data-testid="undo-changes">
          {view.changes.flatMap(({ record, changes }) =>
            changes.map((fieldChange, index) => (
              <List.Item key={`${record.reference}-${fieldChange.field}-${index}`}>
                {describeFieldChange(record.display, fieldChange)}
              </List.Item>
            )),
          )}
        </List>
      )}
      {view.kind === 'job' && (
        <Text size="sm" c="dimmed">
          It runs in the background over {formatCount(view.count)} {view.count === 1 ? 'record' : 'records'}, with progress and Cancel.
        </Text>
      )}
      {refusal && <ErrorNotice error={refusal} title="The record changed while you were reading" />}
      {conflicted && (
        <Alert color="orange" title="Changed since" data-testid="undo-conflicts">
          <Stack gap={6}>
            {view.conflicts.map((conflict) => (
              <Text size="sm" key={conflict.record.reference}>
                {conflict.explanation}
              </Text>
            ))}
            {/* Main's explanation already offers the inverse when there is one. */}
            {!view.inverseAvailable && <Text size="sm">Nothing of this change is left to undo without losing those later changes.</Text>}
          </Stack>
        </Alert>
      )}
      {change.error && <ErrorNotice error={change.error} title="The undo was not made" />}
      {job.error && <ErrorNotice error={job.error} title="The undo did not start" />}
      <Group justify="flex-end" className="dialog-actions">
        {keep}
        {!conflicted ? (
          <Button loading={running} onClick={() => void apply('exact', view.kind)}>
            {view.kind === 'job' ? `Undo ${formatCount(view.count)} changes` : 'Undo'}
          </Button>
        ) : (
          view.inverseAvailable && (
            <Button loading={running} onClick={() => void apply('only-this-change', view.kind)}>
              Undo only this change
            </Button>
          )
        )}
      </Group>
    </Stack>
  );
}

/** The undo's answer as the change notification wants it. */
function asChange(result: Envelope<UndoOutcome>): Envelope<ChangeResult<UndoOutcome>> {
  return result.ok ? { ok: true, value: { value: result.value, summary: result.value.summary } } : result;
}

/** The undo's answer as a job start: an import's undo always answers with its job. */
function jobStart(result: Envelope<UndoOutcome>): Envelope<{ jobId: string }> {
  if (!result.ok) return result;
  if (result.value.jobId === null) return { ok: false, error: { code: 'internal', message: 'The undo did not start as a background task. Try again.' } };
  return { ok: true, value: { jobId: result.value.jobId } };
}
