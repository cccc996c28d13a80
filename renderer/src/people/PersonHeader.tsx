import { Anchor, Breadcrumbs, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { backLinkOf } from './back-link';
import { BreakableText } from '../components/BreakableText';

/** The way back to the list, the person's name, and their facts as label/value pairs. */
export function PersonHeader({
  listPath,
  listLabel,
  name,
  facts,
}: {
  listPath: string;
  listLabel: string;
  name: string;
  facts: readonly { label: string; value: ReactNode }[];
}) {
  const from = backLinkOf(useLocation().state);
  return (
    <Stack gap="sm">
      {/* Opened from a clinic's list, the way back is that clinic (its tab, search and page). */}
      <Breadcrumbs separatorMargin={6} style={{ flexWrap: 'wrap', minWidth: 0 }}>
        {from ? (
          [
            <Anchor key="clinics" component={Link} to="/clinics" size="sm">
              Clinics
            </Anchor>,
            <Anchor key="clinic" component={Link} to={from.path} size="sm" lineClamp={1} maw={320} title={from.label}>
              {from.label}
            </Anchor>,
          ]
        ) : (
          <Anchor component={Link} to={listPath} size="sm">
            {listLabel}
          </Anchor>
        )}
        <Text size="sm" lineClamp={1} maw={320} title={name}>
          {name}
        </Text>
      </Breadcrumbs>
      <Title order={2} style={{ overflowWrap: 'anywhere' }}>
        {name}
      </Title>
      <Paper withBorder radius="md" p="md">
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="xl" data-testid="person-facts">
          {facts.map((fact) => (
            <Group key={fact.label} gap={2} miw={0} style={{ flexDirection: 'column', alignItems: 'flex-start' }}>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                {fact.label}
              </Text>
              {/* Long values (emails) wrap inside their column instead of running into the next. */}
              {typeof fact.value === 'string' ? (
                <Text size="sm" maw="100%">
                  <BreakableText text={fact.value} />
                </Text>
              ) : (
                fact.value
              )}
            </Group>
          ))}
        </SimpleGrid>
      </Paper>
    </Stack>
  );
}
