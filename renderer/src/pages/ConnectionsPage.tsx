import { Alert, Badge, Button, Group, List, Modal, Paper, Skeleton, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { openConfirm } from '../components/confirm';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconLock, IconPlus } from '@tabler/icons-react';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import type { ManagedConfigStatus } from '../../../preload/api/contract';
import type { Connection } from '../../../preload/api/schemas/connection';
import { useApi } from '../api/api-context';
import { ConnectionForm } from '../connections/ConnectionForm';
import { SignInForm } from '../connections/SignInForm';
import { signInMethodLabels } from '../connections/sign-in-methods';
import { useSession } from '../session/SessionContext';

type Dialog = { kind: 'edit'; connection?: Connection } | { kind: 'sign-in'; connection: Connection } | null;

export function ConnectionsPage() {
  const api = useApi();
  const { session, setSession } = useSession();
  const [connections, setConnections] = useState<Connection[] | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const navigate = useNavigate();
  const [managed, setManaged] = useState<ManagedConfigStatus | null>(null);

  const reload = useCallback(async () => {
    const result = await api.listConnections();
    if (result.ok) setConnections(result.value.connections);
    else notifications.show({ color: 'red', title: 'Could not read the connections', message: result.error.message });
  }, [api]);

  useEffect(() => {
    void reload();
  }, [reload]);

  useEffect(() => {
    void api.getManagedConfig().then((result) => setManaged(result.ok ? result.value : null));
  }, [api]);

  // The header's switcher arrives here as /connections?signin=<id>: open that sign-in.
  const [params, setParams] = useSearchParams();
  useEffect(() => {
    const wanted = params.get('signin');
    const connection = wanted ? connections?.find((candidate) => candidate.id === wanted) : undefined;
    if (connection) {
      setDialog({ kind: 'sign-in', connection });
      setParams({}, { replace: true });
    }
  }, [params, setParams, connections]);

  const remove = (connection: Connection) =>
    openConfirm({
      title: `Remove “${connection.name}”?`,
      children: (
        <Text size="sm">
          The console forgets this connection and removes its saved sign-in from the keychain. Nothing changes on the
          Medplum server.
        </Text>
      ),
      labels: { confirm: 'Remove connection', cancel: 'Keep it' },
      confirmProps: { color: 'red' },
      onConfirm: async () => {
        const result = await api.removeConnection({ connectionId: connection.id });
        if (!result.ok) notifications.show({ color: 'red', title: 'Not removed', message: result.error.message });
        if (session?.connectionId === connection.id) setSession(null);
        await reload();
      },
    });

  // A removed sandbox can be added back: the same connection main makes on a first run.
  const addSandbox = async () => {
    const result = await api.saveConnection({
      connection: {
        name: 'Local sandbox',
        baseUrl: 'http://127.0.0.1/',
        signIn: { method: 'local-sandbox' },
        // The sandbox's own MRN system (main/local-server/seed.ts).
        mrnSystem: 'https://sandbox.local/mrn',
        isolationMode: 'shared-membership',
      },
    });
    if (!result.ok) notifications.show({ color: 'red', title: 'The sandbox was not added', message: result.error.message });
    await reload();
  };

  const signOut = async () => {
    const result = await api.signOut();
    if (result.ok) {
      setSession(null);
      notifications.show({ title: 'Signed out', message: 'The saved sign-in was removed from the keychain.' });
    }
  };

  return (
    <Stack gap="lg" maw={1100}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Connections</Title>
          <Text c="dimmed" size="sm">
            The Medplum servers and projects this console signs in to. Passwords and secrets stay in this computer's
            keychain.
          </Text>
        </div>
        <Group gap="xs">
          {connections && !connections.some((connection) => connection.signIn.method === 'local-sandbox') && (
            <Button variant="default" onClick={() => void addSandbox()}>
              Add the local sandbox
            </Button>
          )}
          <Button leftSection={<IconPlus size={16} />} onClick={() => setDialog({ kind: 'edit' })}>
            Add connection
          </Button>
        </Group>
      </Group>
      {managed?.status === 'invalid' && (
        <Alert color="orange" icon={<IconAlertTriangle size={18} />} title="Your IT team's settings for this console could not be used" data-testid="managed-config-invalid">
          <Text size="sm">
            The managed configuration in {managed.path} has problems, so none of it applies: no preset connections, no locks,
            and the console's own defaults for the sandbox and updates. Send this to your IT team:
          </Text>
          <List size="sm" mt="xs">
            {managed.problems.map((problem) => (
              <List.Item key={problem}>{problem}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      <Paper withBorder radius="md">
        {connections === null ? (
          <Stack p="md" gap="xs">
            <Skeleton h={28} />
            <Skeleton h={28} />
          </Stack>
        ) : connections.length === 0 ? (
          <Text p="xl" ta="center">
            No connections yet. Add the Medplum server and project you administer.
          </Text>
        ) : (
          <Table verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Server</Table.Th>
                <Table.Th>Sign-in</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {connections.map((connection) => {
                const isSandbox = connection.signIn.method === 'local-sandbox';
                const signedIn = session?.connectionId === connection.id;
                const locked = connection.managed?.locked === true;
                return (
                  <Table.Tr key={connection.id} data-testid={`connection-row-${connection.name}`}>
                    <Table.Td>
                      <Group gap="xs">
                        <Text fw={500}>{connection.name}</Text>
                        {locked && (
                          <Tooltip label="Set and locked by your IT team: you can sign in, but not change or remove it." withArrow>
                            <IconLock size={16} aria-label="Locked by your IT team" data-testid="connection-locked" />
                          </Tooltip>
                        )}
                        {connection.managed && !locked && (
                          <Badge color="gray" variant="light">
                            Set by IT
                          </Badge>
                        )}
                        {isSandbox && (
                          <Badge color="orange" variant="light" miw="max-content">
                            Sandbox
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{isSandbox ? 'This computer' : connection.baseUrl}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{signInMethodLabels[connection.signIn.method]}</Text>
                    </Table.Td>
                    <Table.Td>
                      {signedIn ? (
                        <Badge color="teal" variant="light" miw="max-content">
                          Signed in
                        </Badge>
                      ) : (
                        <Text size="sm" c="dimmed">
                          Not signed in
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs" justify="flex-end" wrap="nowrap">
                        {signedIn ? (
                          <Button size="xs" variant="default" onClick={signOut}>
                            Sign out
                          </Button>
                        ) : (
                          <Button size="xs" onClick={() => setDialog({ kind: 'sign-in', connection })}>
                            {isSandbox ? 'Open sandbox' : 'Sign in'}
                          </Button>
                        )}
                        {!isSandbox && (
                          <Button size="xs" variant="subtle" disabled={locked} onClick={() => setDialog({ kind: 'edit', connection })}>
                            Edit
                          </Button>
                        )}
                        <Button size="xs" variant="subtle" color="red" disabled={locked} onClick={() => remove(connection)}>
                          Remove
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <Modal
        opened={dialog?.kind === 'edit'}
        onClose={() => setDialog(null)}
        title={dialog?.kind === 'edit' && dialog.connection ? `Edit “${dialog.connection.name}”` : 'Add a connection'}
        size="lg"
      >
        {dialog?.kind === 'edit' && (
          <ConnectionForm
            {...(dialog.connection ? { connection: dialog.connection } : {})}
            onCancel={() => setDialog(null)}
            onSaved={(saved) => {
              setDialog(null);
              notifications.show({ title: 'Connection saved', message: `“${saved.name}” is ready to sign in.` });
              void reload();
            }}
          />
        )}
      </Modal>
      <Modal opened={dialog?.kind === 'sign-in'} onClose={() => setDialog(null)} title="Sign in">
        {dialog?.kind === 'sign-in' && (
          <SignInForm
            connection={dialog.connection}
            onCancel={() => setDialog(null)}
            onSignedIn={(signedIn) => {
              setDialog(null);
              setSession(signedIn);
              // The next step after signing in: the clinics of that project.
              void navigate('/clinics');
              notifications.show({
                color: 'teal',
                title: 'Signed in',
                message: `${signedIn.profileName} in ${signedIn.projectName}`,
              });
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}
