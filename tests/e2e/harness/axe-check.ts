/**
 * The accessibility check of the end-to-end tour: axe-core (pinned in package.json) run inside
 * the page as it is, over the whole document, after each screen is drawn.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  screen: string;
  id: string;
  impact: string;
  help: string;
  /** A few of the elements concerned, as CSS selectors. */
  targets: string[];
}

/** The serious and critical violations on the page now. */
export async function seriousViolations(page: Page, screen: string): Promise<AxeFinding[]> {
  // Evaluated over the DevTools protocol, so the page's strict CSP does not refuse the script.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations as { id: string; impact: string | null; help: string; nodes: { target: string[]; failureSummary?: string }[] }[];
  });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      screen,
      id: violation.id,
      impact: violation.impact ?? '',
      help: violation.help,
      targets: violation.nodes.slice(0, 4).map((node) => `${node.target.join(' ')}: ${(node.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 200)}`),
    }));
}
