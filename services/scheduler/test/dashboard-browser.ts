import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/**
 * Drives the dashboard in headless Chromium (puppeteer-core and the system's chromium: Debian's
 * `chromium` package, which .ci/run installs). Shared by the browser e2e test and `npm run screenshots`.
 */

export const VIEWPORTS = {
  desktop: { width: 1440, height: 900 },
  phone: { width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** CHROMIUM_PATH, else the first Chromium found in the usual places; null when there is none. */
export function chromiumPath(): string | null {
  const given = process.env.CHROMIUM_PATH;
  if (given) return existsSync(given) ? given : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

export async function launchChromium(executablePath: string): Promise<Browser> {
  return puppeteer.launch({
    executablePath,
    headless: true,
    // root in CI containers has no user namespace for the sandbox; /dev/shm is small there.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--font-render-hinting=none'],
  });
}

// Browser-side code is kept as source text: this project compiles without the DOM library.

/** Every KPI card shows a figure and the overview's tables have rows. */
const READY_JS = `(() =>
  ['kpi-orders', 'kpi-practices', 'kpi-revenue', 'kpi-dlq'].every((id) => {
    const text = (document.querySelector('#' + id + ' .kpi-value') || {}).textContent || '–';
    return text !== '–' && text.trim() !== '';
  }) &&
  ['#geography', '#reps', '#freshness'].every((id) => document.querySelectorAll(id + ' tbody tr').length > 0))()`;

/** The DashboardFacts of the page. */
const FACTS_JS = `(() => {
  const name = (el) =>
    el.id ? '#' + el.id : el.tagName.toLowerCase() + '.' + [...el.classList].join('.') + ' in #' + ((el.closest('[id]') || {}).id || '?');
  const kpis = {};
  for (const box of document.querySelectorAll('.kpi')) {
    const v = box.querySelector('.kpi-value');
    kpis[box.id] = { text: v.textContent || '', title: v.title };
  }
  // Every card and KPI box, every KPI figure, and the overview's tables (which must fit, not scroll).
  const boxes = document.querySelectorAll('.kpi, .kpi .kpi-value, .card, .count, #overview .table-wrap');
  const overflowing = [...boxes]
    .filter((el) => el.offsetParent !== null && el.scrollWidth > el.clientWidth)
    .map((el) => ({ box: name(el), scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
  return {
    kpis,
    geographyRows: document.querySelectorAll('#geography tbody tr').length,
    repRows: document.querySelectorAll('#reps tbody tr').length,
    freshnessRows: document.querySelectorAll('#freshness tbody tr').length,
    overflowing,
    pageScrollWidth: document.documentElement.scrollWidth,
    viewportWidth: window.innerWidth,
  };
})()`;

/** A page at `viewport`, signed in on the dashboard at `url`, once every KPI card shows a figure. */
export async function signedInDashboard(
  browser: Browser,
  url: string,
  viewport: ViewportName,
  credentials: { username: string; password: string },
): Promise<Page> {
  // A context of its own: no session cookie from another page (close it with page.browserContext().close()).
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
  await page.setViewport(VIEWPORTS[viewport]);
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('#login-form', { visible: true });
  await page.type('#login-user', credentials.username);
  await page.type('#login-password', credentials.password);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#app', { visible: true });
  await page.waitForFunction(READY_JS, { timeout: 30_000 });
  // The bars' and badges' layout settles after the last render.
  await new Promise((r) => setTimeout(r, 300));
  return page;
}

export interface DashboardFacts {
  /** Each KPI card: its figure as shown and its title (the exact value). */
  kpis: Record<string, { text: string; title: string }>;
  geographyRows: number;
  repRows: number;
  freshnessRows: number;
  /** Boxes whose content is wider than the box (scrollWidth > clientWidth), by a short selector. */
  overflowing: { box: string; scrollWidth: number; clientWidth: number }[];
  /** The document is wider than the viewport (a horizontal scroll bar on the whole page). */
  pageScrollWidth: number;
  viewportWidth: number;
}

/** What the browser test asserts, read from the page in one go. */
export async function dashboardFacts(page: Page): Promise<DashboardFacts> {
  return (await page.evaluate(FACTS_JS)) as DashboardFacts;
}
