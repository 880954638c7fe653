import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEEPLY_NESTED_MARKDOWN,
  EXFILTRATION_PAYLOADS,
  PATHOLOGICAL_MARKDOWN,
  XSS_PAYLOADS,
} from '../../electron/core/security/corpus/xss-payloads';

/**
 * The renderer's own `renderMarkdown` (what Markdown.svelte puts on screen for model output) run in
 * real Chromium, with no CSP to help: the sanitiser alone must stop every payload (SECURITY 5, 7).
 */
const RENDERER = fileURLToPath(
  new URL('../../renderer/src/lib/markdown/render-markdown.ts', import.meta.url),
);
const PAGE = 'http://ponder.test/';
const CHROMIUM = process.env.PONDER_CHROMIUM ?? '/usr/bin/chromium';

let browser: Browser;
let page: Page;
const requests: string[] = [];

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [RENDERER],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'PonderMarkdown',
    platform: 'browser',
    target: 'chrome120',
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  page = await browser.newPage();
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url === PAGE) {
      await route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><body><div id="out"></div><script>window.__alerts=[];window.alert=(m)=>window.__alerts.push(String(m));</script><script>${script}</script></body>`,
      });
      return;
    }
    requests.push(url);
    await route.abort();
  });
  page.on('dialog', (dialog) => {
    requests.push(`dialog:${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(PAGE);
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

interface Rendered {
  /** What renderMarkdown threw, if it did (the message shows in the UI as a broken answer). */
  error?: string;
  html: string;
  alerts: string[];
  eventAttributes: string[];
  forbiddenElements: string[];
  badLinks: string[];
}

/** The little of the page's DOM the checks use (this file is type-checked without the DOM library). */
interface PageElement {
  tagName: string;
  innerHTML: string;
  attributes: ArrayLike<{ name: string }>;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  replaceChildren(...nodes: unknown[]): void;
}
interface PageGlobals {
  document: { getElementById(id: string): PageElement | null };
  PonderMarkdown: {
    renderMarkdown(text: string, sources: Set<number>, allowedLinks?: Set<string>): unknown;
  };
  __alerts: string[];
}

/** Renders like Markdown.svelte does (the fragment replaces the node's children), then inspects the DOM. */
async function render(text: string): Promise<Rendered> {
  const error = await page.evaluate((markdown) => {
    const page = globalThis as unknown as PageGlobals;
    const out = page.document.getElementById('out');
    try {
      out?.replaceChildren(page.PonderMarkdown.renderMarkdown(markdown, new Set([1, 2])));
      return undefined;
    } catch (thrown) {
      out?.replaceChildren();
      return String(thrown);
    }
  }, text);
  // Give error, load and toggle handlers the chance to fire if anything left one behind.
  await page.waitForTimeout(50);
  const inspected = await page.evaluate(() => {
    const page = globalThis as unknown as PageGlobals;
    const out = page.document.getElementById('out');
    const within = (selector: string): PageElement[] =>
      Array.from(out?.querySelectorAll(selector) ?? []);
    const forbidden =
      'script, iframe, object, embed, svg, math, img, video, audio, source, style, link, meta, base, form, template, body';
    return {
      html: out?.innerHTML ?? '',
      alerts: page.__alerts.splice(0),
      eventAttributes: within('*').flatMap((element) =>
        Array.from(element.attributes)
          .filter((attribute) => /^on/i.test(attribute.name))
          .map((attribute) => `${element.tagName}.${attribute.name}`),
      ),
      forbiddenElements: within(forbidden).map((element) => element.tagName),
      badLinks: within('[href], [src], [action], [style]')
        .map(
          (element) =>
            element.getAttribute('href') ??
            element.getAttribute('src') ??
            element.getAttribute('action') ??
            'style',
        )
        .filter((value) => !/^(https?:\/\/|mailto:|#source-\d+$)/i.test(value)),
    };
  });
  return error === undefined ? inspected : { ...inspected, error };
}

describe('model output and snippets rendered by the renderer (SECURITY 5)', () => {
  it.each(XSS_PAYLOADS.map((payload) => [payload]))('neutralises %j', async (payload) => {
    const result = await render(payload);
    expect(result.error).toBeUndefined();
    expect(result.alerts, result.html).toEqual([]);
    expect(result.eventAttributes, result.html).toEqual([]);
    expect(result.forbiddenElements, result.html).toEqual([]);
    expect(result.badLinks, result.html).toEqual([]);
    expect(requests, result.html).toEqual([]);
  });

  it('keeps ordinary markdown, web links and citations working', async () => {
    const result = await render(
      '**Bold** and a [link](https://example.org/page) citing [1] and [7].\n\n- item\n\n`code`',
    );
    expect(result.html).toContain('<strong>Bold</strong>');
    expect(result.html).toMatch(
      /<a href="https:\/\/example\.org\/page" rel="noopener noreferrer nofollow">link<\/a>/,
    );
    expect(result.html).toContain('href="#source-1"');
    expect(result.html).not.toContain('#source-7');
    expect(result.html).toContain('<code>code</code>');
  });
});

describe('conversation exfiltration through images (SECURITY 7)', () => {
  it.each(EXFILTRATION_PAYLOADS.map((payload) => [payload]))(
    'loads nothing for %j',
    async (payload) => {
      const result = await render(payload);
      expect(result.forbiddenElements, result.html).toEqual([]);
      expect(requests, result.html).toEqual([]);
    },
  );
});

describe('pathological markdown', () => {
  it(
    'renders each input that made parsers slow, and the page stays usable',
    { timeout: 120_000 },
    async () => {
      for (const text of PATHOLOGICAL_MARKDOWN) {
        const result = await render(text);
        expect(result.error, text.slice(0, 20)).toBeUndefined();
        expect(result.alerts).toEqual([]);
      }
      expect((await render('still **works**')).html).toContain('<strong>works</strong>');
    },
  );

  // marked recurses once per nesting level, so thousands of `>` or `- ` used to throw "Maximum call
  // stack size exceeded" out of renderMarkdown; nesting is now capped before parsing.
  it('renders deeply nested quotes and lists without throwing', async () => {
    for (const text of DEEPLY_NESTED_MARKDOWN) {
      expect((await render(text)).error, text.slice(0, 20)).toBeUndefined();
    }
  });
});

describe('links in a Search answer (SECURITY 13)', () => {
  it("keeps links to the answer's sources and unlinks every other address", async () => {
    const html = await page.evaluate(() => {
      const page = globalThis as unknown as PageGlobals;
      const out = page.document.getElementById('out');
      out?.replaceChildren(
        page.PonderMarkdown.renderMarkdown(
          'See [the source](https://example.org/tides) [1] and [click here](https://attacker.example/canary?d=secret) or <https://attacker.example/other>.',
          new Set([1]),
          new Set(['https://example.org/tides']),
        ),
      );
      return out?.innerHTML ?? '';
    });
    expect(html).toContain('href="https://example.org/tides"');
    expect(html).toContain('href="#source-1"');
    expect(html).not.toContain('href="https://attacker.example');
    // The words stay readable; only the link is gone.
    expect(html).toContain('click here');
  });
});
