import { Anchor, Select, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { TimelineEntry, UndoTarget } from '../../../preload/api/schemas/history';
import { useApi } from '../api/api-context';
import { useApiQuery } from '../api/use-api-query';
import { useRouteState } from '../api/use-route-state';
import { AccessTimeline } from './AccessTimeline';
import { UndoDialog } from './UndoDialog';

const WINDOWS: Record<string, { label: string; hours: number }> = {
  '1h': { label: 'The last hour', hours: 1 },
  '24h': { label: 'The last 24 hours', hours: 24 },
  '7d': { label: 'The last 7 days', hours: 24 * 7 },
};
const PAGES: Record<string, string> = { Patient: '/patients/', Practitioner: '/clinicians/', Organization: '/clinics/' };
const LIMIT = 100;

/**
 * Access changes across the project read from the records themselves, whichever tool made them
 * (a script or Medplum's app leaves nothing on the console's trail), newest first, with Undo.
 */
export function RecentChanges({ canUndo }: { canUndo: boolean }) {
  const api = useApi();
  const [windowKey, setWindowKey] = useRouteState('window', '24h');
  const chosen = WINDOWS[windowKey] ?? (WINDOWS['24h'] as { label: string; hours: number });
  // Rounded to the minute, so re-renders do not read again.
  const since = useMemo(() => new Date(Math.floor((Date.now() - chosen.hours * 3_600_000) / 60_000) * 60_000).toISOString(), [chosen.hours]);
  const query = useApiQuery(() => api.listRecentChanges({ since, count: LIMIT }), [api, since]);
  const [target, setTarget] = useState<UndoTarget | null>(null);

  return (
    <Stack gap="sm">
      <Select
        label="Changes made in"
        data={Object.entries(WINDOWS).map(([value, { label }]) => ({ value, label }))}
        value={windowKey in WINDOWS ? windowKey : '24h'}
        onChange={(value) => setWindowKey(value ?? '24h')}
        allowDeselect={false}
        w={220}
      />
      <AccessTimeline
        title="Changes on the records"
        description="Who changed whose access, read from the patients' and clinicians' own version history: this console, other administrators, scripts and Medplum's app alike."
        subjectOf={subjectLink}
        entries={query.data?.entries ?? []}
        query={query}
        emptyText={`No access changed in ${chosen.label.toLowerCase()}.`}
        hasMore={false}
        loadingMore={false}
        onShowMore={() => undefined}
        onUndo={canUndo ? (entry) => setTarget({ record: entry.resource, versionId: entry.versionId }) : undefined}
      />
      {query.data && !query.data.complete && (
        <Text size="sm" c="dimmed" data-testid="recent-incomplete">
          More than {LIMIT} records changed in that time; the most recently changed are shown. Choose a shorter time to see them all.
        </Text>
      )}
      <UndoDialog target={target} onClose={() => setTarget(null)} onDone={query.reload} />
    </Stack>
  );
}

function subjectLink(entry: TimelineEntry) {
  const [type, id] = entry.subject.reference.split('/');
  const page = type ? PAGES[type] : undefined;
  if (!page || !id) return <Text size="sm" fw={600}>{entry.subject.display}</Text>;
  return (
    <Anchor component={Link} to={`${page}${id}`} size="sm" fw={600}>
      {entry.subject.display}
    </Anchor>
  );
}
