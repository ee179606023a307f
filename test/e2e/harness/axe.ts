import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

/**
 * axe-core (the same engine as browser accessibility checkers) run on a live page: the WCAG 2.0–2.2
 * A and AA rules, and only findings axe rates serious or critical. Injected through the DevTools
 * protocol (page.evaluate), so extension pages' CSP does not stop it and the product never ships it.
 */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export interface AxeFinding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

export async function seriousAxeFindings(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const axe = (window as any).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return (result.violations as any[])
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n: any) => String(n.target)) }));
  }, WCAG_TAGS);
}

/** Throws with every serious/critical finding listed, so a failing test says what to fix and where. */
export async function assertAccessible(page: Page, name: string): Promise<void> {
  const findings = await seriousAxeFindings(page);
  if (findings.length === 0) return;
  const lines = findings.map((f) => `  ${f.impact} ${f.rule}: ${f.help} — ${f.targets.join(', ')}`);
  throw new Error(`axe-core found ${findings.length} serious/critical accessibility problem(s) on "${name}":\n${lines.join('\n')}`);
}
