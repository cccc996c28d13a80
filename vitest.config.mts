import { readFileSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/** Which test files the real-Medplum tier runs (and which it does not, with why). */
const realTier = JSON.parse(readFileSync(new URL('./tests/real/tier.json', import.meta.url), 'utf8')) as { run: string[] };

// `npm test`: three layers, engines and main-process code in Node (integration over HTTP against
// the local server), components in jsdom, and the end-to-end harness (real renderer in Chromium
// over real handlers). `npm run test:real` (TEST_BACKEND=real): the tier that runs the
// backend-agnostic integration tests against a real Medplum, each file in a fresh project.
const localLayers = [
  {
    test: {
      name: 'node',
      environment: 'node',
      include: ['tests/node/**/*.test.ts', 'tests/integration/**/*.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 60_000,
    },
  },
  {
    plugins: [react()],
    test: {
      name: 'dom',
      environment: 'jsdom',
      include: ['tests/dom/**/*.test.tsx', 'tests/dom/**/*.test.ts'],
      setupFiles: ['tests/dom/setup.ts'],
      testTimeout: 30_000,
    },
  },
  {
    test: {
      name: 'e2e',
      environment: 'node',
      include: ['tests/e2e/**/*.test.ts'],
      testTimeout: 120_000,
      hookTimeout: 180_000,
      fileParallelism: false,
    },
  },
];

const realLayer = {
  test: {
    name: 'real',
    environment: 'node',
    include: realTier.run,
    // A real server is slower, and sign-ins may wait out its auth rate limit (a minute at most).
    testTimeout: 180_000,
    hookTimeout: 240_000,
  },
};

export default defineConfig({
  test: {
    projects: process.env.TEST_BACKEND === 'real' ? [realLayer] : localLayers,
  },
});
