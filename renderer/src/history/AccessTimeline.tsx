import { Badge, Button, Group, Paper, Skeleton, Stack, Text, Timeline, Title } from '@mantine/core';
import { IconArrowBackUp, IconPointFilled } from '@tabler/icons-react';
import { type ReactNode, useId } from 'react';
import type { TimelineEntry } from '../../../preload/api/schemas/history';
import type { ApiQuery } from '../api/use-api-query';
import { LoadError } from '../components/LoadError';

/**
 * A record's access changes as sentences, newest first ("Dec 1, 09:03 · Ann Admin added Uptown
 * Clinic"), whichever tool made them; Undo on the lines that can be undone, and "Show older
 * changes" while there are more.
 */
export function AccessTimeline({
  title = 'Access history',
  description = "Every change of access, from the server's own version history: made in this console, another administrator's, a script's or Medplum's app.",
  subjectOf,
  entries,
  query,
  emptyText,
  hasMore,
  loadingMore,
  onShowMore,
  onUndo,
}: {
  title?: string;
  description?: string;
  /** Across many records: what each line is about, shown before its sentence. */
  subjectOf?: ((entry: TimelineEntry) => ReactNode) | undefined;
  entries: readonly TimelineEntry[];
  /** The first page's read: its loading state, and its error with Retry. */
  query: Pick<ApiQuery<unknown>, 'data' | 'error' | 'stale' | 'loading' | 'reload'>;
  emptyText: string;
  hasMore: boolean;
  loadingMore: boolean;
  onShowMore: () => void;
  /** Absent for those who may not change anything. */
  onUndo?: ((entry: TimelineEntry) => void) | undefined;
}) {
  return (
    <Paper withBorder radius="md" p="md" data-testid="access-timeline">
      <Stack gap="sm">
        <div>
          <Title order={4}>{title}</Title>
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        </div>
        <LoadError query={query} title={`Could not read the ${title.toLowerCase()}`} />
        {query.data === null ? (
          !query.error && (
            <Stack gap="xs" aria-busy="true" aria-label={`Loading the ${title.toLowerCase()}`}>
              {[0, 1, 2].map((index) => (
                <Skeleton key={index} h={20} />
              ))}
            </Stack>
          )
        ) : entries.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="timeline-empty">
            {emptyText}
          </Text>
        ) : (
          <Timeline bulletSize={16} lineWidth={2} role="list" aria-label={title} style={query.stale ? { opacity: 0.6 } : undefined}>
            {entries.map((entry, index) => (
              // Closer than Mantine's default: a long history stays readable at a glance.
              <Timeline.Item
                key={`${entry.resource}/${entry.versionId}`}
                mt={index === 0 ? 0 : 'sm'}
                role="listitem"
                bullet={<IconPointFilled size={10} />}
                data-testid="timeline-line"
              >
                {subjectOf?.(entry)}
                <TimelineSentence entry={entry} onUndo={onUndo} />
              </Timeline.Item>
            ))}
          </Timeline>
        )}
        {hasMore && (
          <Group>
            <Button size="compact-sm" variant="subtle" loading={loadingMore} onClick={onShowMore}>
              Show older changes
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function TimelineSentence({ entry, onUndo }: { entry: TimelineEntry; onUndo: ((entry: TimelineEntry) => void) | undefined }) {
  const id = useId();
  return (
    <Group justify="space-between" gap="xs" wrap="nowrap" align="flex-start">
      <Text size="sm" id={id} style={{ overflowWrap: 'anywhere' }} data-testid="timeline-sentence">
        {entry.sentence}
        {entry.onBehalfOf && (
          <Badge ml={6} size="sm" variant="light" color="gray" tt="none">
            as {entry.onBehalfOf.display}
          </Badge>
        )}
      </Text>
      {onUndo && entry.undoable && (
        // "Undo" named by its line, so a screen reader says which change it undoes.
        <Button
          size="compact-sm"
          variant="subtle"
          leftSection={<IconArrowBackUp size={14} />}
          aria-describedby={id}
          onClick={() => onUndo(entry)}
          style={{ flexShrink: 0 }}
        >
          Undo
        </Button>
      )}
    </Group>
  );
}
