import { afterAll, describe, expect, it } from 'vitest';
import { closeBrowser, readPngInfo, startE2eHarness } from '../support/e2e-harness';

afterAll(closeBrowser);

describe('console shell in Chromium over the real main-process handlers', () => {
  it('clicks About, main answers, and the answer is on screen', async () => {
    const harness = await startE2eHarness();
    const { page } = harness;
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    await page.getByRole('heading', { name: 'Clinics', level: 2 }).waitFor();
    const shellShot = await harness.screenshot('shell-clinics-light');

    await page.getByRole('button', { name: 'About MSO Admin Console' }).click();
    const details = page.getByTestId('about-details');
    await details.waitFor();
    // The Node version shown comes from the main-process handler running in this test process.
    await expect(details.textContent()).resolves.toContain(`Node ${process.versions.node}`);
    expect(harness.responses).toContainEqual({ ok: true, value: expect.objectContaining({ version: '0.1.0' }) });
    const aboutShot = await harness.screenshot('about-dialog-light');
    await harness.close();

    for (const file of [shellShot, aboutShot]) {
      const png = await readPngInfo(file);
      expect(png).toMatchObject({ isPng: true, width: 1280, height: 800 });
      expect(png.bytes).toBeGreaterThan(10_000);
    }
  });

  it('follows the system dark mode and navigates between areas', async () => {
    const harness = await startE2eHarness({ colorScheme: 'dark' });
    const { page } = harness;
    await page.getByRole('link', { name: 'Import' }).click();
    await page.getByRole('heading', { name: 'Import', level: 2 }).waitFor();
    await expect(page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'))).resolves.toBe('dark');
    await harness.screenshot('shell-import-dark');
    await harness.emit('menuCommand', { command: 'about' });
    await page.getByTestId('about-details').waitFor();
    await harness.close();
  });

  it('refuses a call made from a frame that is not our main frame', async () => {
    const harness = await startE2eHarness();
    const { page } = harness;
    await page.getByRole('navigation', { name: 'Main navigation' }).waitFor();
    // The CSP keeps our UI out of frames; a sub-frame still gets the binding, and main must refuse it.
    await page.evaluate(async () => {
      const frame = document.createElement('iframe');
      frame.src = '/index.html#/activity';
      document.body.appendChild(frame);
      await new Promise((resolve) => frame.addEventListener('load', resolve));
    });
    const child = page.frames().find((frame) => frame !== page.mainFrame());
    expect(child).toBeDefined();
    const result = await child?.evaluate(() => window.__msoInvoke('mso:invoke:getAppInfo', {}));
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    await harness.close();
  });
});
