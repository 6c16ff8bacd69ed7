// Debian's Chromium driven by playwright-core, for page tests anyone can reuse: launch, screenshots kept as
// artefacts, axe-core checks, and a page that fails on console errors (CSP violations included).
import { expect } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Every launch gets a fresh temporary profile from Playwright (it refuses --user-data-dir on launch()). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

export interface WatchedPage {
  page: Page;
  /** Console errors and page errors seen so far (a CSP violation shows up here). */
  problems: string[];
}

/** Chromium logs every 4xx document as a console error; pass the statuses a test expects. */
export function expectedStatuses(...statuses: number[]): RegExp {
  return new RegExp(`^Failed to load resource: the server responded with a status of (${statuses.join('|')})\\b`);
}

/** A page in its own context (own cookies), recording console errors except those matching `ignore`. */
export async function openPage(browser: Browser, options: BrowserContextOptions & { ignore?: RegExp[] } = {}): Promise<WatchedPage> {
  const { ignore = [], ...contextOptions } = options;
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ...contextOptions });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !ignore.some((r) => r.test(m.text()))) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  return { page, problems };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

let axeSource: string | undefined;
function axe(): string {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.x A/AA rules) in the page. Injected through the DevTools protocol, so the page's own
 * Content-Security-Policy stays on while it is checked.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axe());
  return page.evaluate(async () => {
    const w = window as unknown as {
      axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> };
    };
    const r = await w.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/**
 * axe needs JavaScript: for a page shown with JavaScript off, check the same markup in a scripted page
 * at the same origin (so its stylesheet loads and colour contrast is judged on the real styles).
 */
export async function runAxeOnMarkup(browser: Browser, page: Page, options: BrowserContextOptions = {}): Promise<AxeViolation[]> {
  const html = await page.content();
  const context = await browser.newContext({ viewport: page.viewportSize() ?? undefined, ...options, javaScriptEnabled: true });
  try {
    const copy = await context.newPage();
    await copy.goto(new URL('/assets/public.css', page.url()).href);
    await copy.setContent(html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, ''), { waitUntil: 'load' });
    return await runAxe(copy);
  } finally {
    await context.close();
  }
}

/** The violations a test should fail on. */
export function seriousViolations(vs: AxeViolation[]): AxeViolation[] {
  return vs.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Fails the test on any serious or critical axe violation, listing them under the page's name. */
export function expectNoSeriousViolations(vs: AxeViolation[], name = 'page'): void {
  const serious = seriousViolations(vs);
  expect(serious, `${name}: ${JSON.stringify(serious, null, 1)}`).toEqual([]);
}
