import { createTheme } from '@mantine/core';

/** Mantine defaults with the system font: the console should feel native, calm and dense. */
export const theme = createTheme({
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  primaryColor: 'blue',
  defaultRadius: 'sm',
  // People who ask their OS for less motion get no transitions.
  respectReducedMotion: true,
});
