import { Badge, Group, Text, Tooltip } from '@mantine/core';

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
      {/* A name cut short by the badge's width is there in full on hover and focus. */}
      {shown.map((clinic) => (
        <Tooltip key={clinic.id} label={clinic.name} multiline maw={320} openDelay={300}>
          <Badge variant="light" color="blue" tt="none" fw={500} maw={220}>
            {clinic.name}
          </Badge>
        </Tooltip>
      ))}
      {clinics.length > max && (
        <Tooltip label={clinics.slice(max).map((clinic) => clinic.name).join(', ')} multiline maw={320}>
          <Badge variant="outline" color="gray" tt="none">
            +{clinics.length - max} more
          </Badge>
        </Tooltip>
      )}
    </Group>
  );
}
