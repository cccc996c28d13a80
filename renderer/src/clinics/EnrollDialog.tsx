import { Button, Group, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { IpcError } from '../../../preload/api/contract';
import type { ClinicView } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { ErrorNotice } from '../components/ErrorNotice';
import { JobProgressPanel } from '../jobs/JobProgressPanel';
import { useJob } from '../jobs/use-job';
import { type ChoosablePerson, PeopleChooser } from './PeopleChooser';

/**
 * Choose people, read what will happen, then enroll them all as one job in main with progress
 * and Cancel. The patients and clinicians dialogs differ only in whom they list and how they say it.
 */
export function EnrollDialog({
  clinic,
  kind,
  people,
  search,
  onSearch,
  searchLabel,
  placeholder,
  loading,
  error,
  emptyText,
  preview,
  onDone,
  onCancel,
}: {
  clinic: ClinicView;
  kind: 'patients' | 'clinicians';
  people: readonly ChoosablePerson[];
  search: string;
  onSearch: (value: string) => void;
  searchLabel: string;
  placeholder: string;
  loading: boolean;
  error: IpcError | null;
  emptyText: string;
  /** The sentence that says beforehand who will see what, for the chosen names. */
  preview: (names: readonly string[]) => string;
  onDone: () => void;
  onCancel: () => void;
}) {
  const api = useApi();
  const job = useJob();
  // Kept by key so that a person chosen before a new search stays chosen.
  const [chosen, setChosen] = useState<Map<string, ChoosablePerson>>(new Map());
  const toggle = (key: string) =>
    setChosen((previous) => {
      const next = new Map(previous);
      const person = people.find((candidate) => candidate.key === key);
      if (next.has(key)) next.delete(key);
      else if (person) next.set(key, person);
      return next;
    });

  // The window announces every job's end (JobsProvider); the dialog just closes on full success.
  const state = job.progress?.state;
  const closed = useRef(false);
  useEffect(() => {
    if (closed.current || state !== 'succeeded' || job.progress?.message.includes('could not')) return;
    closed.current = true;
    onDone();
  }, [job.progress, state, onDone]);

  const start = () => void job.start(() => api.enrollInClinic({ clinicId: clinic.id, kind, ids: [...chosen.keys()] }));
  const count = chosen.size;
  const noun = kind === 'patients' ? (count === 1 ? 'patient' : 'patients') : count === 1 ? 'clinician' : 'clinicians';

  if (job.progress) {
    return (
      <Stack gap="sm">
        <JobProgressPanel progress={job.progress} onCancel={job.cancel} />
        {state !== 'running' && (
          <Group justify="flex-end">
            <Button onClick={onDone}>Close</Button>
          </Group>
        )}
      </Stack>
    );
  }

  return (
    <Stack gap="sm">
      <PeopleChooser
        search={search}
        onSearch={onSearch}
        searchLabel={searchLabel}
        placeholder={placeholder}
        people={people}
        isChosen={(key) => chosen.has(key)}
        onToggle={toggle}
        loading={loading}
        error={error}
        emptyText={emptyText}
      />
      <Text size="sm" data-testid="enroll-preview">
        {preview([...chosen.values()].map((person) => person.name))}
      </Text>
      {job.error && <ErrorNotice error={job.error} title="Enrollment did not start" />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button onClick={start} disabled={count === 0}>
          Enroll {count} {noun}
        </Button>
      </Group>
    </Stack>
  );
}
