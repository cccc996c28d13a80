import { Button, Checkbox, Group, Stack } from '@mantine/core';
import type { ImportOptionsInput, RosterKindView } from '../../../preload/api/schemas/import';

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
  const set = (key: keyof ImportOptionsInput) => (event: React.ChangeEvent<HTMLInputElement>) => onChange({ ...options, [key]: event.currentTarget.checked });
  return (
    <Stack gap="md" maw={720}>
      <Checkbox
        label="Create missing clinics"
        description="A clinic the file names that this project does not have is created once, by that name. Off: those rows are errors."
        checked={options.createMissingClinics}
        onChange={set('createMissingClinics')}
      />
      {kind === 'patients' && (
        <Checkbox
          label="Update demographics"
          description="Existing patients whose name, birth date or gender differ from the file are updated. Off: the differences are warnings and nothing of them changes."
          checked={options.updateDemographics}
          onChange={set('updateDemographics')}
        />
      )}
      {kind === 'practitioners' && (
        <Checkbox
          label="Send invitation emails"
          description="New clinicians get Medplum's email to set their password. Off: they are invited without one (send it later from their page)."
          checked={options.sendInvites}
          onChange={set('sendInvites')}
        />
      )}
      <Checkbox
        label="Strict"
        description="Any row with an error stops the whole import before the first write. Off: rows with errors are skipped and the rest imported."
        checked={options.strict}
        onChange={set('strict')}
      />
      <Group justify="space-between">
        <Button variant="default" onClick={onBack}>
          Back
        </Button>
        <Button onClick={onNext}>Review the import</Button>
      </Group>
    </Stack>
  );
}
