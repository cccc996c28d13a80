/**
 * The roster import wizard (ui.md): file → kind and columns → dry run → options → confirm →
 * progress → summary. The import itself runs in main as a job; this page only follows it, so a
 * reloaded window finds it again (running, or finished with its summary) through `listImports`.
 */
import { Button, Group, Stack, Stepper, Text } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { Envelope, IpcError } from '../../../preload/api/contract';
import type { RosterKind } from '../../../preload/api/roster/columns';
import type { ImportFileView, ImportOptionsInput, ImportPlanView, ImportRunView, ImportValidationView } from '../../../preload/api/schemas/import';
import type { SessionInfo } from '../../../preload/api/schemas/connection';
import { useApi } from '../api/api-context';
import { ErrorNotice } from '../components/ErrorNotice';
import { TableSkeleton } from '../components/TableSkeleton';
import { JobProgressPanel } from '../jobs/JobProgressPanel';
import { ConfirmStep } from './ConfirmStep';
import { DryRunStep } from './DryRunStep';
import { FileStep } from './FileStep';
import { InterruptedImports } from './InterruptedImports';
import { MappingStep } from './MappingStep';
import { OptionsStep } from './OptionsStep';
import { SummaryStep } from './SummaryStep';
import { useImportJob } from './use-import-job';

const DEFAULT_OPTIONS: ImportOptionsInput = { createMissingClinics: false, updateDemographics: false, sendInvites: false, strict: false };
const STEPS = { file: 0, columns: 1, dryRun: 2, options: 3, confirm: 4, run: 5 } as const;

export function ImportWizard({ session }: { session: SessionInfo }) {
  const api = useApi();
  const [step, setStep] = useState<number>(STEPS.file);
  const [file, setFile] = useState<ImportFileView | null>(null);
  const [kind, setKind] = useState<RosterKind | undefined>(undefined);
  const [overrides, setOverrides] = useState<Record<string, string>>({});
  const [options, setOptions] = useState<ImportOptionsInput>(DEFAULT_OPTIONS);
  const [validation, setValidation] = useState<ImportValidationView | null>(null);
  const [plan, setPlan] = useState<{ key: string; view: ImportPlanView } | null>(null);
  const [error, setError] = useState<IpcError | null>(null);
  const [starting, setStarting] = useState(false);
  const [current, setCurrent] = useState<{ importId: string; jobId: string } | null>(null);
  const [run, setRun] = useState<ImportRunView | null>(null);
  const [imports, setImports] = useState<ImportRunView[] | null>(null);
  const progress = useImportJob(current?.jobId ?? null);

  const reading = file ? { token: file.token, ...(kind ? { kind } : {}), ...(Object.keys(overrides).length ? { columnOverrides: overrides } : {}) } : null;
  const planKey = JSON.stringify([reading, options]);

  const refreshImports = useCallback(async () => {
    const listed = await api.listImports();
    if (!listed.ok) return [];
    setImports(listed.value);
    return listed.value;
  }, [api]);

  // A window (re)opened on this page picks up the import main is running, or the one that just ended.
  useEffect(() => {
    void refreshImports().then((listed) => {
      const open = listed.find((entry) => entry.state === 'running') ?? listed.find((entry) => entry.state === 'finished' || entry.state === 'failed');
      if (!open) return;
      setCurrent((known) => known ?? (open.jobId ? { importId: open.importId, jobId: open.jobId } : null));
      if (open.state !== 'running') setRun(open);
      setStep(STEPS.run);
    });
  }, [refreshImports]);

  // Offline validation whenever the file, the kind or the mapping change.
  useEffect(() => {
    if (!reading) return;
    let live = true;
    setValidation(null);
    void api.validateImport(reading).then((result) => {
      if (!live) return;
      if (result.ok) setValidation(result.value);
      else setError(result.error);
    });
    return () => {
      live = false;
    };
    // `reading` is rebuilt each render; its parts say when it changed.
  }, [api, file, kind, overrides]);

  // The dry run, with the options as they are, when a step shows it.
  useEffect(() => {
    if (!reading || (step !== STEPS.dryRun && step !== STEPS.confirm) || plan?.key === planKey) return;
    let live = true;
    setPlan(null);
    setError(null);
    void api.planImport({ ...reading, options }).then((result) => {
      if (!live) return;
      if (result.ok) setPlan({ key: planKey, view: result.value });
      else setError(result.error);
    });
    return () => {
      live = false;
    };
  }, [api, step, planKey]);

  // The job ended: its summary comes from main.
  const ended = progress !== null && progress.state !== 'running';
  useEffect(() => {
    if (!ended || !current) return;
    void refreshImports().then((listed) => setRun(listed.find((entry) => entry.importId === current.importId) ?? null));
  }, [ended, current, refreshImports]);

  // Started or resumed: the page follows that job from now on.
  const follow = (result: Envelope<{ importId: string; jobId: string }>) => {
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setRun(null);
    setCurrent(result.value);
    setStep(STEPS.run);
  };

  const start = async () => {
    if (!reading) return;
    setStarting(true);
    setError(null);
    const result = await api.startImport({ ...reading, options });
    setStarting(false);
    follow(result);
  };

  const resume = async (target: ImportRunView) => {
    setError(null);
    follow(await api.resumeImport({ importId: target.importId }));
  };

  const reset = async () => {
    if (run) await api.discardImport({ importId: run.importId });
    setStep(STEPS.file);
    setFile(null);
    setKind(undefined);
    setOverrides({});
    setOptions(DEFAULT_OPTIONS);
    setValidation(null);
    setPlan(null);
    setRun(null);
    setCurrent(null);
    setError(null);
    await refreshImports();
  };

  const interrupted = (imports ?? []).filter((entry) => entry.state === 'interrupted' && entry.importId !== current?.importId);
  const shownKind = validation?.kind ?? kind ?? 'patients';
  const planView = plan?.key === planKey ? plan.view : null;

  return (
    <Stack gap="lg">
      <Stepper active={step} size="sm" allowNextStepsSelect={false} onStepClick={(index) => step < STEPS.run && setStep(index)}>
        <Stepper.Step label="File" />
        <Stepper.Step label="Columns" />
        <Stepper.Step label="Dry run" />
        <Stepper.Step label="Options" />
        <Stepper.Step label="Confirm" />
        <Stepper.Step label="Import" />
      </Stepper>
      {error && step !== STEPS.confirm && <ErrorNotice error={error} />}
      {step === STEPS.file && (
        <>
          {imports === null ? (
            <TableSkeleton rows={2} />
          ) : (
            <InterruptedImports
              imports={interrupted}
              currentConnectionId={session.connectionId}
              onResume={(target) => void resume(target)}
              onDiscard={(target) => void api.discardImport({ importId: target.importId }).then(refreshImports)}
            />
          )}
          <FileStep
            onFile={(chosen) => {
              setFile(chosen);
              setKind(undefined);
              setOverrides({});
              setPlan(null);
              setError(null);
              setStep(STEPS.columns);
            }}
          />
        </>
      )}
      {step === STEPS.columns && file && (
        <MappingStep
          file={file}
          validation={validation}
          kind={kind}
          overrides={overrides}
          onChange={(nextKind, nextOverrides) => {
            setKind(nextKind);
            setOverrides(nextOverrides);
          }}
          onBack={() => setStep(STEPS.file)}
          onNext={() => setStep(STEPS.dryRun)}
        />
      )}
      {step === STEPS.dryRun && <DryRunStep plan={planView} onBack={() => setStep(STEPS.columns)} onNext={() => setStep(STEPS.options)} />}
      {step === STEPS.options && (
        <OptionsStep kind={shownKind} options={options} onChange={setOptions} onBack={() => setStep(STEPS.dryRun)} onNext={() => setStep(STEPS.confirm)} />
      )}
      {step === STEPS.confirm && (
        <ConfirmStep plan={planView} options={options} starting={starting} error={error} onBack={() => setStep(STEPS.options)} onStart={() => void start()} />
      )}
      {step === STEPS.run && (
        <>
          {run ? (
            <SummaryStep run={run} onDone={() => void reset()} onResume={() => void resume(run)} />
          ) : progress ? (
            <Stack gap="xs">
              <Text fw={600}>Importing{file ? ` ${file.name}` : ''}</Text>
              <JobProgressPanel
                // Until the plan is made the job has no count yet: say what it is doing.
                progress={progress.message ? progress : { ...progress, message: 'Checking the file against the server…' }}
                onCancel={() => void api.cancelJob({ jobId: progress.jobId })}
              />
              <Text size="xs" c="dimmed">
                You can leave this page or close the window: the import goes on, and the header shows it.
              </Text>
            </Stack>
          ) : (
            <TableSkeleton rows={2} />
          )}
          {!run && !progress && !current && (
            <Group>
              <Button variant="default" onClick={() => void reset()}>
                Start over
              </Button>
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}
