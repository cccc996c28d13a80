import { Button, Checkbox, Group, Stack, Text } from '@mantine/core';
import { formatCount } from '../people/sentences';
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
  total = null,
  onShowMore,
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
  /** How many match the search on the server (all of them, not only those listed). */
  total?: number | null;
  /** Lists more of the matches. */
  onShowMore?: (() => void) | undefined;
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

  // "Select all N matching": main finds them all over every page when the job starts.
  const [allMatching, setAllMatching] = useState(false);
  useEffect(() => setAllMatching(false), [search]);
  const start = () =>
    void job.start(() =>
      api.enrollInClinic(
        allMatching
          ? { clinicId: clinic.id, kind, matching: search.trim() ? { search: search.trim() } : {} }
          : { clinicId: clinic.id, kind, ids: [...chosen.keys()] },
      ),
    );
  const count = allMatching && total !== null ? total : chosen.size;
  const noun = kind === 'patients' ? (count === 1 ? 'patient' : 'patients') : count === 1 ? 'clinician' : 'clinicians';

  if (job.progress) {
    return (
      <Stack gap="sm">
        <JobProgressPanel progress={job.progress} onCancel={job.cancel} />
        {state !== 'running' && (
          <Group justify="flex-end" className="dialog-actions">
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
        footer={
          <Group justify="space-between" gap="xs" data-testid="chooser-footer">
            <Text size="sm" c="dimmed">
              {total === null ? '' : `Showing ${formatCount(people.length)} of ${formatCount(total)} ${search.trim() ? 'matching' : ''}`.trim()}
            </Text>
            <Group gap="xs">
              {onShowMore && total !== null && people.length < total && (
                <Button size="compact-sm" variant="subtle" onClick={onShowMore}>
                  Show more
                </Button>
              )}
              {total !== null && total > 0 && (
                <Checkbox
                  label={`Select all ${formatCount(total)} matching`}
                  checked={allMatching}
                  onChange={(event) => setAllMatching(event.currentTarget.checked)}
                />
              )}
            </Group>
          </Group>
        }
      />
      <Text size="sm" data-testid="enroll-preview">
        {allMatching
          ? `All ${formatCount(count)} ${noun} matching${search.trim() ? ` “${search.trim()}”` : ''} will be enrolled in ${clinic.name}${
              kind === 'patients' ? ', and its clinicians will see their records' : ' and see its patients'
            }. Anyone already in ${clinic.name} is left as they are.`
          : preview([...chosen.values()].map((person) => person.name))}
      </Text>
      {job.error && <ErrorNotice error={job.error} title="Enrollment did not start" />}
      <Group justify="flex-end" className="dialog-actions">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button onClick={start} disabled={count === 0}>
          Enroll {allMatching ? 'all ' : ''}{formatCount(count)} {noun}
        </Button>
      </Group>
    </Stack>
  );
}
