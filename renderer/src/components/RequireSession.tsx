import { Alert, Button, Center, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { SessionInfo } from '../../../preload/api/schemas/connection';
import { useSession } from '../session/SessionContext';
import { TableSkeleton } from './TableSkeleton';

/** Shows its children only when signed in; otherwise says how to connect. */
export function RequireSession({ children, what }: { children: (session: SessionInfo) => ReactNode; what: string }) {
  const { session, restoring } = useSession();
  if (restoring) return <TableSkeleton rows={4} />;
  if (!session) {
    return (
      <Paper withBorder radius="md" p="xl">
        <Center>
          <Stack align="center" gap="sm" maw={440}>
            <Text ta="center" data-testid="empty-state">
              Connect to your Medplum project to see {what}.
            </Text>
            <Text ta="center" size="sm" c="dimmed">
              New here? Open the local sandbox in Connections: a Medplum-compatible server on this computer with demo
              clinics, clinicians and patients, to try everything before connecting to a real server.
            </Text>
            <Button component={Link} to="/connections" variant="light">
              Go to Connections
            </Button>
          </Stack>
        </Center>
      </Paper>
    );
  }
  return <>{children(session)}</>;
}

/** Said once, plainly, wherever a change needs a project administrator. */
export function AdminRequiredNotice({ session }: { session: SessionInfo }) {
  if (session.isProjectAdmin) return null;
  return (
    <Alert color="orange" title="Read only: not a project administrator">
      <Text size="sm">
        You are signed in as {session.profileName}, who is not an administrator of {session.projectName}. Enrolling
        and unenrolling needs a project administrator: ask one to make this account an administrator, or sign in with
        an administrator account.
      </Text>
    </Alert>
  );
}
