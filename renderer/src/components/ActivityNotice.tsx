import { Anchor, Text } from '@mantine/core';

/**
 * A change's result for a notification, with a link to the Activity log. Notifications sit outside
 * the router, so the link is a plain hash link, which the hash router follows.
 */
export function ActivityNotice({ summary }: { summary: string }) {
  return (
    <Text size="sm">
      {summary}{' '}
      <Anchor href="#/activity" size="sm">
        See Activity
      </Anchor>
    </Text>
  );
}
