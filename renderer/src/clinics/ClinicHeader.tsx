import { Badge, Button, Group, Modal, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { openConfirm } from '../components/confirm';
import type { ClinicView } from '../../../preload/api/schemas/enrollment';
import { renameClinicRequest } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useChange } from '../api/use-change';
import { ErrorNotice } from '../components/ErrorNotice';
import { serverErrorProps, zodFieldErrors } from '../forms/zod-field-errors';
import { useClearRefusalOnChange } from '../forms/use-field-refusal';
import { ClinicIdentifiers } from './ClinicIdentifiers';

export function ClinicHeader({ clinic, canChange, onChanged }: { clinic: ClinicView; canChange: boolean; onChanged: (clinic: ClinicView) => void }) {
  const api = useApi();
  const [renaming, rename] = useDisclosure(false);
  const change = useChange<ClinicView>();

  const setActive = (active: boolean) => {
    const apply = async () => {
      const updated = await change.run(() => api.setClinicActive({ clinicId: clinic.id, active }), active ? 'Clinic reactivated' : 'Clinic deactivated');
      if (updated) onChanged(updated);
    };
    if (active) return void apply();
    openConfirm({
      title: `Deactivate ${clinic.name}?`,
      children: (
        <Text size="sm">
          The clinic is marked inactive. Its clinicians and patients stay enrolled and nobody's access changes; unenroll
          them first if the clinic is closing.
        </Text>
      ),
      labels: { confirm: 'Deactivate', cancel: 'Keep active' },
      confirmProps: { color: 'orange' },
      onConfirm: () => void apply(),
    });
  };

  return (
    <Stack gap={4}>
      <Group justify="space-between" align="flex-start">
        <Group gap="sm" style={{ minWidth: 0, flex: 1 }}>
          <Title order={2} style={{ overflowWrap: 'anywhere' }}>
            {clinic.name}
          </Title>
          {!clinic.active && (
            <Badge color="gray" variant="light">
              Inactive
            </Badge>
          )}
        </Group>
        {canChange && (
          <Group gap="xs">
            <Button variant="default" size="xs" onClick={rename.open}>
              Rename
            </Button>
            <Button variant="default" size="xs" color={clinic.active ? 'orange' : undefined} onClick={() => setActive(!clinic.active)} loading={change.running}>
              {clinic.active ? 'Deactivate' : 'Reactivate'}
            </Button>
          </Group>
        )}
      </Group>
      <ClinicIdentifiers clinic={clinic} canChange={canChange} onChanged={onChanged} />
      {change.error && <ErrorNotice error={change.error} title="The clinic was not changed" />}
      <Modal opened={renaming} onClose={rename.close} title={`Rename ${clinic.name}`}>
        <RenameForm
          clinic={clinic}
          onDone={(updated) => {
            rename.close();
            onChanged(updated);
          }}
          onCancel={rename.close}
        />
      </Modal>
    </Stack>
  );
}

function RenameForm({ clinic, onDone, onCancel }: { clinic: ClinicView; onDone: (clinic: ClinicView) => void; onCancel: () => void }) {
  const api = useApi();
  const change = useChange<ClinicView>();
  const form = useForm({
    mode: 'controlled',
    validateInputOnChange: true,
    initialValues: { name: clinic.name },
    validate: (values) => zodFieldErrors(renameClinicRequest, { clinicId: clinic.id, name: values.name }),
  });
  const submit = form.onSubmit(async ({ name }) => {
    const updated = await change.run(() => api.renameClinic({ clinicId: clinic.id, name }), 'Clinic renamed');
    if (updated) onDone(updated);
  });
  useClearRefusalOnChange(change.error, change.clearError, form.getValues());
  const { serverField, fieldProps } = serverErrorProps((field: 'name') => form.getInputProps(field), change.error, ['name']);
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <TextInput label="Name" withAsterisk data-autofocus {...fieldProps('name')} />
        <Text size="sm" c="dimmed">
          Renaming changes no one's access. Roster files that name this clinic must use the new name afterwards.
        </Text>
        {change.error && !serverField && <ErrorNotice error={change.error} title="Not renamed" />}
        <Group justify="flex-end" className="dialog-actions">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={change.running}>
            Rename
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
