import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step {
  name?: string;
  if?: string;
  run?: string;
  env?: Record<string, string>;
  uses?: string;
}

let text: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a GitHub Actions workflow, checked field by field below
let workflow: any;

beforeAll(async () => {
  text = await readFile('.github/workflows/release.yml', 'utf8');
  workflow = parse(text);
});

describe('release workflow', () => {
  it('builds on macOS, Windows and Linux runners, each for its own platform, without publishing from the build', () => {
    expect(workflow.jobs.build.strategy.matrix.include.map((entry: { os: string }) => entry.os)).toEqual(['macos-latest', 'windows-latest', 'ubuntu-latest']);
    const steps: Step[] = workflow.jobs.build.steps;
    const packaging = steps.filter((step) => step.run?.includes('electron-builder'));
    expect(packaging.map((step) => step.run?.match(/--(mac|win|linux)\b/)?.[1])).toEqual(['mac', 'win', 'win', 'linux']);
    for (const step of packaging) expect(step.run).toContain('--publish never');
    expect(workflow.env.MSO_UPDATE_URL).toBe('${{ vars.MSO_UPDATE_URL }}');
  });

  it('takes credentials only from repository secrets, through step environments, never inline in a command', () => {
    const steps: Step[] = [...workflow.jobs.build.steps, ...workflow.jobs.publish.steps];
    for (const step of steps) expect(step.run ?? '').not.toContain('secrets.');
    const secretNames = [...text.matchAll(/\$\{\{\s*secrets\.(\w+)\s*\}\}/g)].map((match) => match[1]);
    expect(secretNames).toEqual(
      expect.arrayContaining(['MAC_CSC_LINK', 'APPLE_API_KEY_ID', 'WIN_CSC_LINK', 'AZURE_CLIENT_SECRET', 'UPDATE_FEED_SECRET_ACCESS_KEY']),
    );
    const signingEnv = steps.flatMap((step) => Object.keys(step.env ?? {}));
    expect(signingEnv).toEqual(expect.arrayContaining(['CSC_LINK', 'CSC_KEY_PASSWORD', 'WIN_CSC_LINK', 'WIN_CSC_KEY_PASSWORD', 'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET']));
  });

  it('publishes the feed files only after the installers they point at', () => {
    const upload = (workflow.jobs.publish.steps as Step[]).find((step) => step.run?.includes('s3 sync'))?.run ?? '';
    expect(upload).toContain("--exclude 'latest*.yml'");
    expect(upload.indexOf('s3 sync')).toBeLessThan(upload.indexOf('for feed in release/latest*.yml'));
    expect(workflow.jobs.publish.needs).toBe('build');
  });
});
