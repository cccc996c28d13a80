import { Anchor, Text } from '@mantine/core';

/**
 * A change's result for a notification, with a link to the Activity log. Notifications sit outside
 * the router, so the link is a plain hash link, which the hash router follows.
 */
export function ActivityNotice({ summary, since }: { summary: string; since?: string }) {
  // The link opens the Activity entries of this change: those written since it started.
  const href = since ? `#/activity?since=${encodeURIComponent(since)}` : '#/activity';
  return (
    <Text size="sm">
      {summary}{' '}
      {/* Underlined: inside a sentence, a link must not be told apart by its colour alone (axe link-in-text-block). */}
      <Anchor href={href} size="sm" underline="always">
        See Activity
      </Anchor>
    </Text>
  );
}
