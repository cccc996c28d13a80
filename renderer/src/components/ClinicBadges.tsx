import { Badge, Group, Text } from '@mantine/core';

export interface ClinicTag {
  id: string;
  name: string;
}

/** A person's clinics as badges; "No clinic" says plainly that they see no patient. */
export function ClinicBadges({ clinics, max = 4 }: { clinics: readonly ClinicTag[]; max?: number }) {
  if (clinics.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No clinic
      </Text>
    );
  }
  const shown = clinics.slice(0, max);
  return (
    <Group gap={4} wrap="wrap">
      {shown.map((clinic) => (
        <Badge key={clinic.id} variant="light" color="blue" tt="none" fw={500}>
          {clinic.name}
        </Badge>
      ))}
      {clinics.length > max && (
        <Badge variant="outline" color="gray" tt="none">
          +{clinics.length - max} more
        </Badge>
      )}
    </Group>
  );
}
