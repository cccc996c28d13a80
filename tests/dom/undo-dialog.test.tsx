/**
 * The undo dialog's paths that a live server gives only by chance or slowly: an import's undo as a
 * job (progress, Cancel, its end), a record changed between the preview and the click (the refusal
 * explained, then the inverse offered), and nothing left to undo. Main is scripted here; the
 * ordinary undo over the real handlers is in access-history.test.tsx.
 */
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Envelope, JobProgress } from '../../preload/api/contract';
import type { MsoApi } from '../../preload/api/create-api';
import type { UndoOutcome, UndoPreview, UndoTarget } from '../../preload/api/schemas/history';
import { ApiProvider } from '../../renderer/src/api/api-context';
import { UndoDialog } from '../../renderer/src/history/UndoDialog';
import { theme } from '../../renderer/src/theme';

const clinic = { reference: 'Organization/uptown', display: 'Uptown Clinic' };

function previewOf(overrides: Partial<UndoPreview>): UndoPreview {
  return {
    sentence: 'Dana Lee will again see the 1,240 patients of Uptown Clinic.',
    changes: [{ record: { reference: 'Practitioner/dana', display: 'Dana Lee' }, changes: [{ field: 'clinics', added: [clinic], removed: [] }] }],
    conflicts: [],
    undoable: true,
    inverseAvailable: true,
    kind: 'single',
    count: 1,
    ...overrides,
  };
}

/** Main as a script: previews in turn, and what applyUndo answers; every request is kept. */
function scriptedApi(previews: UndoPreview[], apply: (request: { target: UndoTarget; scope?: string }) => Envelope<UndoOutcome>) {
  const calls: { channel: string; request: unknown }[] = [];
  const progressListeners = new Set<(event: JobProgress) => void>();
  let preview = 0;
  const api = {
    previewUndo: async (request: unknown) => {
      calls.push({ channel: 'previewUndo', request });
      return { ok: true, value: previews[Math.min(preview++, previews.length - 1)] };
    },
    applyUndo: async (request: { target: UndoTarget; scope?: string }) => {
      calls.push({ channel: 'applyUndo', request });
      return apply(request);
    },
    cancelJob: async (request: unknown) => {
      calls.push({ channel: 'cancelJob', request });
      return { ok: true, value: { cancelled: true } };
    },
    on: {
      jobProgress: (listener: (event: JobProgress) => void) => {
        progressListeners.add(listener);
        return () => progressListeners.delete(listener);
      },
    },
  } as unknown as MsoApi;
  const publish = (event: JobProgress) => act(() => progressListeners.forEach((listener) => listener(event)));
  return { api, calls, publish };
}

function renderDialog(api: MsoApi, target: UndoTarget) {
  const done: number[] = [];
  const closed: number[] = [];
  render(
    <MantineProvider theme={theme} env="test">
      <Notifications />
      <ApiProvider api={api}>
        <UndoDialog target={target} onClose={() => closed.push(1)} onDone={() => done.push(1)} />
      </ApiProvider>
    </MantineProvider>,
  );
  return { done, closed };
}

const JOB_ID = '5f0c7a52-6d6b-4a8e-9a57-0d7f0e0b8d11';
const IMPORT_ID = '8a1d9f4e-2b3c-4d5e-8f60-718293a4b5c6';

describe('undo dialog', () => {
  it("runs an import's undo as a job with progress and Cancel, and reports when it stops", async () => {
    const { api, calls, publish } = scriptedApi([previewOf({ kind: 'job', count: 240, sentence: 'The 240 rows of the import of Dec 1 will be undone.' })], () => ({
      ok: true,
      value: { jobId: JOB_ID, summary: 'Undo started', trailId: null },
    }));
    const { done } = renderDialog(api, { importId: IMPORT_ID });
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByTestId('undo-preview')).toHaveTextContent('The 240 rows of the import of Dec 1 will be undone.');
    expect(dialog).toHaveTextContent('It runs in the background over 240 records, with progress and Cancel.');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Undo 240 changes' }));
    publish({ jobId: JOB_ID, kind: 'undo-import', state: 'running', done: 30, total: 240, ratePerSecond: 10, secondsLeft: 21, message: 'Undoing the import' });
    const panel = await within(dialog).findByTestId('job-progress');
    expect(panel).toHaveTextContent('30 of 240');
    await userEvent.click(within(panel).getByRole('button', { name: 'Cancel' }));
    expect(calls.find((call) => call.channel === 'cancelJob')?.request).toEqual({ jobId: JOB_ID });
    expect(done).toEqual([]);
    publish({ jobId: JOB_ID, kind: 'undo-import', state: 'cancelled', done: 31, total: 240, ratePerSecond: null, secondsLeft: null, message: '31 rows undone; stopped on request.' });
    await waitFor(() => expect(within(dialog).getByTestId('job-progress')).toHaveAttribute('data-state', 'cancelled'));
    expect(within(dialog).getByTestId('job-message')).toHaveTextContent('31 rows undone; stopped on request.');
    // The page behind reads again once the job stops.
    expect(done).toEqual([1]);
    expect(calls.find((call) => call.channel === 'applyUndo')?.request).toEqual({ target: { importId: IMPORT_ID }, scope: 'exact' });
  });

  it('explains a refusal at the moment of writing, then offers only the inverse of the change', async () => {
    const conflict = previewOf({
      conflicts: [{ record: { reference: 'Practitioner/dana', display: 'Dana Lee' }, explanation: 'Sam Ortiz added Riverside to Dana Lee at 09:10, after this change.' }],
    });
    const { api, calls } = scriptedApi([previewOf({}), conflict], (request) =>
      request.scope === 'exact'
        ? { ok: false, error: { code: 'conflict', message: 'Dana Lee changed after this change: Sam Ortiz added Riverside at 09:10.' } }
        : { ok: true, value: { jobId: null, summary: 'Dana Lee sees the patients of Uptown Clinic again.', trailId: 'local:abc' } },
    );
    const { done, closed } = renderDialog(api, { trailId: 'server:a1' });
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByTestId('undo-preview');
    expect(within(dialog).getByTestId('undo-changes')).toHaveTextContent("Dana Lee's clinics: adds Uptown Clinic");
    await userEvent.click(within(dialog).getByRole('button', { name: 'Undo' }));

    expect(await within(dialog).findByText('Dana Lee changed after this change: Sam Ortiz added Riverside at 09:10.')).toBeInTheDocument();
    expect(await within(dialog).findByTestId('undo-conflicts')).toHaveTextContent('Sam Ortiz added Riverside to Dana Lee at 09:10, after this change.');
    expect(within(dialog).queryByRole('button', { name: 'Undo' })).not.toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Undo only this change' }));
    await waitFor(() => expect(closed).toEqual([1]));
    expect(done).toEqual([1]);
    expect(calls.filter((call) => call.channel === 'applyUndo').map((call) => (call.request as { scope: string }).scope)).toEqual(['exact', 'only-this-change']);
    expect(await screen.findByText('Dana Lee sees the patients of Uptown Clinic again.')).toBeInTheDocument();
  });

  it('says when nothing is left to undo and offers no undo', async () => {
    const { api, calls } = scriptedApi([previewOf({ undoable: false, inverseAvailable: false })], () => {
      throw new Error('applyUndo must not be called');
    });
    renderDialog(api, { trailId: 'server:a2' });
    const dialog = await screen.findByRole('dialog');
    expect(await within(dialog).findByTestId('undo-nothing-left')).toHaveTextContent('There is nothing left to undo');
    expect(within(dialog).queryByRole('button', { name: /^Undo/ })).not.toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus();
    expect(calls.map((call) => call.channel)).toEqual(['previewUndo']);
  });
});
