import { ActionIcon, Alert, Badge, Button, Group, Paper, Stack, Text, Title, Tooltip } from '@mantine/core';
import { openConfirm } from '../components/confirm';
import { IconPlus, IconX } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import type { IpcError } from '../../../preload/api/contract';
import type { ClinicTag } from '../../../preload/api/schemas/enrollment';
import { ClinicMultiSelect } from '../components/ClinicMultiSelect';
import { ErrorNotice } from '../components/ErrorNotice';

export interface RemovalConfirmation {
  title: string;
  body: ReactNode;
  confirmLabel: string;
}

/**
 * A person's clinics: each with a remove action (confirmed first, since it takes access away),
 * and an "Add to clinics" picker that says what adding will do before anything is written.
 */
export function ClinicsEditor({
  clinics,
  canEdit,
  running,
  error,
  emptyText,
  describeAdding,
  confirmRemoval,
  onAdd,
  onRemove,
}: {
  clinics: readonly ClinicTag[];
  canEdit: boolean;
  running: boolean;
  error: IpcError | null;
  emptyText: string;
  describeAdding: (clinicIds: string[]) => string;
  confirmRemoval: (clinic: ClinicTag, isLast: boolean) => RemovalConfirmation;
  onAdd: (clinicIds: string[]) => Promise<boolean>;
  onRemove: (clinic: ClinicTag) => Promise<void>;
}) {
  const [adding, setAdding] = useState<string[]>([]);

  const askToRemove = (clinic: ClinicTag) => {
    const confirmation = confirmRemoval(clinic, clinics.length === 1);
    openConfirm({
      title: confirmation.title,
      children: confirmation.body,
      labels: { confirm: confirmation.confirmLabel, cancel: 'Keep access' },
      confirmProps: { color: 'red' },
      onConfirm: () => void onRemove(clinic),
    });
  };

  const add = async () => {
    if (await onAdd(adding)) setAdding([]);
  };

  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="sm">
        <Title order={4}>Clinics</Title>
        {clinics.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="no-clinics">
            {emptyText}
          </Text>
        ) : (
          <Group gap={6} data-testid="current-clinics">
            {clinics.map((clinic) => (
              <Badge
                key={clinic.id}
                size="lg"
                variant="light"
                tt="none"
                fw={500}
                pr={canEdit ? 3 : undefined}
                rightSection={
                  canEdit && (
                    <Tooltip label={`Remove from ${clinic.name}`}>
                      <ActionIcon
                        size={24}
                        radius="xl"
                        variant="transparent"
                        color="gray"
                        aria-label={`Remove from ${clinic.name}`}
                        disabled={running}
                        onClick={() => askToRemove(clinic)}
                      >
                        <IconX size={16} />
                      </ActionIcon>
                    </Tooltip>
                  )
                }
              >
                {clinic.name}
              </Badge>
            ))}
          </Group>
        )}
        {canEdit && (
          <Stack gap="xs">
            <Group align="flex-end" gap="xs" wrap="nowrap">
              <ClinicMultiSelect
                label="Add to clinics"
                value={adding}
                onChange={setAdding}
                exclude={clinics.map((clinic) => clinic.id)}
                style={{ flex: 1 }}
              />
              <Button leftSection={<IconPlus size={16} />} disabled={adding.length === 0} loading={running} onClick={add}>
                Add to clinics
              </Button>
            </Group>
            {adding.length > 0 && (
              <Alert color="blue" variant="light" data-testid="add-consequence">
                <Text size="sm">{describeAdding(adding)}</Text>
              </Alert>
            )}
          </Stack>
        )}
        {error && <ErrorNotice error={error} title="The clinics were not changed" />}
      </Stack>
    </Paper>
  );
}
