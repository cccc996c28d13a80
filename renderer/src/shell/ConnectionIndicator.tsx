import { Badge, Button, Group, Menu, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconLogout, IconPlugConnected } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { Connection } from '../../../preload/api/schemas/connection';
import { useApi } from '../api/api-context';
import { useSession } from '../session/SessionContext';
import { useConnectionHealth } from '../api/connection-health';

/** Which Medplum project the console works on, who is signed in, and the switcher. */
export function ConnectionIndicator() {
  const api = useApi();
  const navigate = useNavigate();
  const { session, restoring, setSession } = useSession();
  const { health } = useConnectionHealth();
  const [others, setOthers] = useState<Connection[]>([]);
  // The other connections are read when the menu opens, so the list is never stale.
  const loadOthers = async () => {
    const result = await api.listConnections();
    if (result.ok) setOthers(result.value.connections.filter((connection) => connection.id !== session?.connectionId));
  };

  if (restoring) return <Skeleton h={28} w={220} />;

  if (!session) {
    return (
      <Group gap="xs" data-testid="connection-indicator">
        <Badge color="gray" variant="light">
          Not connected
        </Badge>
        <Button size="compact-sm" variant="subtle" onClick={() => void navigate('/connections')}>
          Connect…
        </Button>
      </Group>
    );
  }

  const host = session.isLocalSandbox ? 'this computer' : new URL(session.baseUrl).host;
  const signOut = async () => {
    const result = await api.signOut();
    if (result.ok) {
      setSession(null);
      notifications.show({ title: 'Signed out', message: 'The saved sign-in was removed from the keychain.' });
    }
  };

  return (
    <Menu position="bottom-end" width={300} withinPortal onOpen={() => void loadOthers()}>
      <Menu.Target>
        <Button variant="subtle" color="gray" rightSection={<IconChevronDown size={14} />} data-testid="connection-indicator">
          <Group gap="xs" wrap="nowrap">
            {session.isLocalSandbox && (
              <Badge color="orange.4" variant="filled" autoContrast>
                Local sandbox
              </Badge>
            )}
            {/* The connection's true state: a signed-in session whose server is away is not "connected". */}
            {health === 'reconnecting' ? (
              <Badge color="orange" variant="light" data-testid="connection-health">
                Reconnecting…
              </Badge>
            ) : health === 'offline' ? (
              <Badge color="red" variant="light" data-testid="connection-health">
                Offline
              </Badge>
            ) : (
              !session.isLocalSandbox && (
                <Badge color="teal" variant="light" data-testid="connection-health">
                  Connected
                </Badge>
              )
            )}
            <Stack gap={0} align="flex-start">
              <Text size="sm" fw={500} lh={1.2}>
                {session.connectionName} · {session.projectName}
              </Text>
              <Text size="xs" c="dimmed" lh={1.2} data-testid="who-am-i">
                {session.profileName}
                {session.isProjectAdmin ? ' · project administrator' : ''}
              </Text>
            </Stack>
          </Group>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Server: {host}</Menu.Label>
        {!session.isProjectAdmin && (
          <Tooltip label="Enrolling clinicians and patients needs a project administrator." multiline w={240}>
            <Menu.Label c="orange">Not a project administrator</Menu.Label>
          </Tooltip>
        )}
        {others.length > 0 && <Menu.Label>Switch to</Menu.Label>}
        {others.map((connection) => (
          <Menu.Item key={connection.id} onClick={() => void navigate(`/connections?signin=${connection.id}`)}>
            {connection.name}
          </Menu.Item>
        ))}
        <Menu.Item leftSection={<IconPlugConnected size={16} />} onClick={() => void navigate('/connections')}>
          Manage connections…
        </Menu.Item>
        <Menu.Item leftSection={<IconLogout size={16} />} onClick={signOut}>
          Sign out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
