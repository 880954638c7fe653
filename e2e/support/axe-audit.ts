/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import { ROOT } from './paths';

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/**
 * Runs axe-core in the page and fails on any serious or critical violation. The script goes in
 * through the DevTools protocol, so the page's CSP stays as strict as a person gets it.
 */
export async function expectNoSeriousAxeViolations(
  page: Page,
  context = 'the page',
  /** Rules to fail on whatever their impact, e.g. `region` where landmarks were fixed. */
  alsoFail: string[] = [],
): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...args: unknown[]) => Promise<unknown> } })
      .axe;
    const result = (await axe.run(document, { resultTypes: ['violations'] })) as {
      violations: AxeViolation[];
    };
    return result.violations.map(({ id, impact, help, nodes }) => ({
      id,
      impact,
      help,
      nodes: nodes.map((node) => node.target.join(' ')),
    }));
  });
  const serious = violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical' || alsoFail.includes(v.id),
  );
  expect(serious, `serious or critical accessibility problems in ${context}`).toEqual([]);
}
