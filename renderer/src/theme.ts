import { type CSSVariablesResolver, createTheme, Modal, Notification, Pagination, Table } from '@mantine/core';

const paginationLabels = { first: 'First page', previous: 'Previous page', next: 'Next page', last: 'Last page' } as const;

/**
 * Mantine defaults with the system font: the console should feel native, calm and dense. Shades
 * and dimmed text are one step darker (lighter in dark mode) than Mantine's, so that all text
 * meets WCAG AA contrast (the end-to-end tour checks it with axe-core); every icon-only control
 * Mantine draws gets a name.
 */
export const theme = createTheme({
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  primaryColor: 'blue',
  primaryShade: { light: 9, dark: 9 },
  // Filled badges and buttons on light colours (orange, yellow) get dark text.
  autoContrast: true,
  defaultRadius: 'sm',
  // People who ask their OS for less motion get no transitions.
  respectReducedMotion: true,
  components: {
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close notification' } } }),
    // Column headers stay in view under the header bar while a long list scrolls.
    Table: Table.extend({ defaultProps: { stickyHeader: true, stickyHeaderOffset: 56 } }),
    Pagination: Pagination.extend({
      defaultProps: { getControlProps: (control: keyof typeof paginationLabels) => ({ 'aria-label': paginationLabels[control] }) },
    }),
  },
});

/** Text of light variants on light backgrounds: darker than Mantine's darkest shade, for 4.5:1 on tinted rows. */
const lightVariantText = {
  blue: '#0b4f8a',
  teal: '#05614a',
  orange: '#9c3706',
  red: '#a51d1d',
  gray: '#343a40',
  green: '#1d6a2e',
  yellow: '#6e5000',
  cyan: '#0a5b6b',
} as const;
const tinted = Object.keys(lightVariantText) as (keyof typeof lightVariantText)[];

/**
 * Dimmed text dark enough to read on white and light enough to read on dark grey; the text of
 * light variants (badges, the active navigation link) likewise.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    ...Object.fromEntries(tinted.map((color) => [`--mantine-color-${color}-light-color`, lightVariantText[color]])),
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    ...Object.fromEntries(tinted.map((color) => [`--mantine-color-${color}-light-color`, `var(--mantine-color-${color}-2)`])),
  },
});
