import { modals } from '@mantine/modals';
import type { ReactNode } from 'react';

/**
 * Asks before a change. First focus goes to the safe choice (Cancel, Keep…), never to the
 * dialog's close button: Enter on a confirmation that removes access must not confirm it.
 */
export function openConfirm(options: {
  title: string;
  children: ReactNode;
  labels: { confirm: string; cancel: string };
  confirmProps?: { color?: string };
  onConfirm: () => void | Promise<void>;
}): void {
  modals.openConfirmModal({
    ...options,
    onConfirm: () => void options.onConfirm(),
    cancelProps: { 'data-autofocus': true } as Record<string, unknown>,
  });
}
