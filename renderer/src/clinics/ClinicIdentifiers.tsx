import { ActionIcon, Badge, Button, Group, Popover, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { openConfirm } from '../components/confirm';
import { IconPlus, IconX } from '@tabler/icons-react';
import type { ClinicView } from '../../../preload/api/schemas/enrollment';
import { clinicIdentifierRequest } from '../../../preload/api/schemas/enrollment';
import { useApi } from '../api/api-context';
import { useChange } from '../api/use-change';
import { ErrorNotice } from '../components/ErrorNotice';
import { zodFieldErrors } from '../forms/zod-field-errors';

type Identifier = ClinicView['identifiers'][number];

/** A clinic's identifiers (its NPI, an internal code): roster files may name the clinic by them. */
export function ClinicIdentifiers({ clinic, canChange, onChanged }: { clinic: ClinicView; canChange: boolean; onChanged: (clinic: ClinicView) => void }) {
  const api = useApi();
  const change = useChange<ClinicView>();
  const [adding, add] = useDisclosure(false);
  const form = useForm({
    mode: 'controlled',
    validateInputOnChange: true,
    initialValues: { system: '', value: '' },
    validate: (values) => zodFieldErrors(clinicIdentifierRequest, { clinicId: clinic.id, identifier: values }, { 'identifier.system': 'system', 'identifier.value': 'value' }),
  });

  const submit = form.onSubmit(async (identifier) => {
    const updated = await change.run(() => api.addClinicIdentifier({ clinicId: clinic.id, identifier }), 'Identifier added');
    if (updated) {
      form.reset();
      add.close();
      onChanged(updated);
    }
  });

  const remove = (identifier: Identifier) =>
    openConfirm({
      title: `Remove the identifier ${identifier.value}?`,
      children: (
        <Text size="sm">
          Nobody's access changes, but roster files that name {clinic.name} as {identifier.system}|{identifier.value} will no
          longer find it.
        </Text>
      ),
      labels: { confirm: 'Remove identifier', cancel: 'Keep it' },
      confirmProps: { color: 'red' },
      onConfirm: async () => {
        const updated = await change.run(() => api.removeClinicIdentifier({ clinicId: clinic.id, identifier }), 'Identifier removed');
        if (updated) onChanged(updated);
      },
    });

  return (
    <Stack gap={4}>
      <Group gap={6} data-testid="clinic-identifiers">
        {clinic.identifiers.length === 0 && (
          <Text size="sm" c="dimmed">
            No identifiers
          </Text>
        )}
        {clinic.identifiers.map((identifier) => (
          <Tooltip key={`${identifier.system}|${identifier.value}`} label={identifier.system}>
            <Badge
              variant="outline"
              color="gray"
              tt="none"
              fw={500}
              rightSection={
                canChange && (
                  <ActionIcon size={24} variant="transparent" color="gray" aria-label={`Remove identifier ${identifier.value}`} onClick={() => remove(identifier)}>
                    <IconX size={16} />
                  </ActionIcon>
                )
              }
            >
              {identifier.value}
            </Badge>
          </Tooltip>
        ))}
        {canChange && (
          <Popover opened={adding} onChange={(opened) => (opened ? add.open() : add.close())} width={360} position="bottom-start" withArrow trapFocus>
            <Popover.Target>
              <Button size="compact-xs" variant="subtle" leftSection={<IconPlus size={12} />} onClick={add.toggle}>
                Add identifier
              </Button>
            </Popover.Target>
            <Popover.Dropdown>
              <form onSubmit={submit} noValidate>
                <Stack gap="xs">
                  <TextInput label="System" placeholder="http://hl7.org/fhir/sid/us-npi" withAsterisk size="xs" {...form.getInputProps('system')} />
                  <TextInput label="Value" withAsterisk size="xs" {...form.getInputProps('value')} />
                  <Group justify="flex-end" gap="xs">
                    <Button size="xs" variant="default" onClick={add.close}>
                      Cancel
                    </Button>
                    <Button size="xs" type="submit" loading={change.running}>
                      Add
                    </Button>
                  </Group>
                </Stack>
              </form>
            </Popover.Dropdown>
          </Popover>
        )}
      </Group>
      {change.error && <ErrorNotice error={change.error} title="The identifiers were not changed" />}
    </Stack>
  );
}
