import { Group, Modal, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../preload/api/contract';
import { useApi } from '../api/api-context';
import { ApiError, unwrap } from '../api/unwrap';

/** Shows what main reports about this build: useful when IT asks which version is installed. */
export function AboutDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const api = useApi();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!opened) return;
    let current = true;
    api
      .getAppInfo()
      .then(unwrap)
      .then((value) => current && setInfo(value))
      .catch((reason: unknown) => current && setError(reason instanceof ApiError ? reason.message : 'Could not read the version.'));
    return () => {
      current = false;
    };
  }, [api, opened]);

  return (
    <Modal opened={opened} onClose={onClose} title="About MSO Admin Console" centered>
      {error ? (
        <Text c="red" size="sm">
          {error}
        </Text>
      ) : info ? (
        <Stack gap="xs">
          <Text size="sm">Manages which clinicians and patients belong to which clinics of your Medplum project.</Text>
          <Table withRowBorders={false} verticalSpacing={4} data-testid="about-details">
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={140}>Version</Table.Th>
                <Table.Td>{info.version}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Build</Table.Th>
                <Table.Td>{info.packaged ? 'Installed' : 'Development'}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Platform</Table.Th>
                <Table.Td>{info.platform}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Runtime</Table.Th>
                <Table.Td>
                  {[
                    info.runtime.electron && `Electron ${info.runtime.electron}`,
                    info.runtime.chrome && `Chromium ${info.runtime.chrome}`,
                    `Node ${info.runtime.node}`,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Stack>
      ) : (
        <Group>
          <Skeleton height={80} />
        </Group>
      )}
    </Modal>
  );
}
