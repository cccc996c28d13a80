import { Button, Checkbox, Group, Stack } from '@mantine/core';
import type { ImportOptionsInput, RosterKindView } from '../../../preload/api/schemas/import';

const OPTIONS: { key: keyof ImportOptionsInput; label: string; description: string; only?: RosterKindView }[] = [
  {
    key: 'createMissingClinics',
    label: 'Create missing clinics',
    description: 'A clinic the file names that this project does not have is created once, by that name. Off: those rows are errors.',
  },
  {
    key: 'updateDemographics',
    label: 'Update demographics',
    description: 'Existing patients whose name, birth date or gender differ from the file are updated. Off: the differences are warnings and nothing of them changes.',
    only: 'patients',
  },
  {
    key: 'sendInvites',
    label: 'Send invitation emails',
    description: "New clinicians get Medplum's email to set their password. Off: they are invited without one (send it later from their page).",
    only: 'practitioners',
  },
  {
    key: 'strict',
    label: 'Strict',
    description: 'Any row with an error stops the whole import before the first write. Off: rows with errors are skipped and the rest imported.',
  },
];

/** Step 4: the import's options, each saying what it changes. */
export function OptionsStep({
  kind,
  options,
  onChange,
  onBack,
  onNext,
}: {
  kind: RosterKindView;
  options: ImportOptionsInput;
  onChange: (options: ImportOptionsInput) => void;
  onBack: () => void;
  onNext: () => void;
}) {
  return (
    <Stack gap="md" maw={720}>
      {OPTIONS.filter((option) => !option.only || option.only === kind).map((option) => (
        <Checkbox
          key={option.key}
          label={option.label}
          description={option.description}
          checked={options[option.key]}
          onChange={(event) => onChange({ ...options, [option.key]: event.currentTarget.checked })}
        />
      ))}
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        <Button onClick={onNext}>Review the import</Button>
      </Group>
    </Stack>
  );
}
