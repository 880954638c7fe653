import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { summarize } from './stats';

const execFileAsync = promisify(execFile);

export interface SideMetric {
  ms: number | null;
  reason: string;
  detail?: unknown;
}

/** Search-mode overhead besides the network: bench/rank20.ts (rank 20 results + build the context), warm median. */
export async function rank20Ms(root: string): Promise<SideMetric> {
  const script = path.join(root, 'bench/rank20.ts');
  if (!existsSync(script)) return { ms: null, reason: 'bench/rank20.ts is not in this checkout' };
  try {
    await execFileAsync('npx', ['tsx', script, '--runs', '7'], {
      cwd: root,
      timeout: 600_000,
      maxBuffer: 16 << 20,
    });
  } catch (error) {
    return { ms: null, reason: `bench/rank20.ts failed: ${String(error).split('\n')[0]}` };
  }
  const dir = path.join(root, 'bench/results');
  const latest = readdirSync(dir)
    .filter((f) => /^rank20-.*\.json$/.test(f))
    .sort()
    .at(-1);
  if (!latest) return { ms: null, reason: 'bench/rank20.ts wrote no result' };
  const report = JSON.parse(readFileSync(path.join(dir, latest), 'utf8')) as {
    int8?: { warm20Snippets?: { medianMs?: number } };
  };
  const ms = report.int8?.warm20Snippets?.medianMs ?? null;
  return { ms, reason: `warm median, int8 MiniLM, 20 snippets (from ${latest})`, detail: report };
}

/**
 * Renderer time to interactive in Chromium: the built renderer (out/renderer) served over HTTP on
 * 127.0.0.1, a fresh browser context per run, from navigation start until the message box is
 * visible and enabled. Needs `npm run build` first.
 */
export async function rendererInteractiveMs(root: string, runs = 5): Promise<SideMetric> {
  const dir = path.join(root, 'out/renderer');
  const chromium = process.env.PONDER_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(path.join(dir, 'index.html')))
    return { ms: null, reason: 'no built renderer (out/renderer); run npm run build first' };
  if (!existsSync(chromium)) return { ms: null, reason: `no Chromium at ${chromium}` };
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.svg': 'image/svg+xml',
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = path.join(dir, url.pathname === '/' ? 'index.html' : path.normalize(url.pathname));
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const { chromium: pw } = await import('playwright-core');
  const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox'] });
  try {
    const times: number[] = [];
    for (let run = 0; run < runs + 1; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: 'commit' });
      const box = page.locator('textarea, [contenteditable="true"], input[type="text"]').first();
      await box.waitFor({ state: 'visible', timeout: 15_000 });
      await box.waitFor({ state: 'attached' });
      await page.waitForFunction(
        // Runs in the page (a string keeps DOM types out of this Node-only project).
        `(() => { const el = document.querySelector('textarea, [contenteditable="true"], input[type="text"]'); return el !== null && !el.disabled; })()`,
        undefined,
        { timeout: 15_000 },
      );
      const ms = await page.evaluate(() => performance.now());
      if (run > 0) times.push(ms);
      await context.close();
    }
    const summary = summarize(times);
    return {
      ms: summary.median,
      reason: `median of ${runs}, warm browser, fresh context each`,
      detail: summary,
    };
  } catch (error) {
    return {
      ms: null,
      reason: `renderer did not become interactive: ${String(error).split('\n')[0]}`,
    };
  } finally {
    await browser.close();
    server.close();
  }
}
