import { Button, Center, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useSession } from '../session/SessionContext';
import type { Section } from '../shell/sections';

/**
 * A section's page while it has nothing to show: its purpose and the next step. The feature
 * screens replace this one section at a time.
 */
export function SectionPage({ section }: { section: Section }) {
  const { session } = useSession();
  return (
    <Stack gap="lg" maw={960}>
      <div>
        <Title order={2}>{section.label}</Title>
        <Text c="dimmed" size="sm">
          {section.purpose}
        </Text>
      </div>
      <Paper withBorder radius="md" p="xl">
        <Center>
          <Stack align="center" gap="sm" maw={440}>
            <ThemeIcon size={48} radius="xl" variant="light">
              <section.icon size={26} stroke={1.5} />
            </ThemeIcon>
            <Text ta="center" data-testid="empty-state">
              {session ? section.signedInState : section.emptyState}
            </Text>
            {!session && (
              <Button component={Link} to="/connections" variant="light">
                Go to Connections
              </Button>
            )}
          </Stack>
        </Center>
      </Paper>
    </Stack>
  );
}
