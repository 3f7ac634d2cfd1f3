import './isolated-namespace';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import type { Pool } from 'pg';
import type { TestDatabase } from '@tributary/testkit';
import {
  chromiumPath,
  dashboardFacts,
  launchChromium,
  signedInDashboard,
  VIEWPORTS,
  type ViewportName,
} from './dashboard-browser';
import { FIXTURE, seedDashboardRows } from './dashboard-fixture';
import { readModelDatabase, startInProcess, TEST_ADMIN, type InProcessScheduler } from './harness';
import { createRepcardSimulator, type RepcardSimulator } from '../../../tools/sim-repcard/src';

/**
 * The dashboard in headless Chromium against the real stack: a scheduler with seeded read models,
 * signed in through the login form, at a desktop and a phone width.
 */
const chromium = chromiumPath();
if (!chromium) {
  // Only where no browser is installed (CI installs Debian's chromium: .ci/run).
  console.warn(
    'dashboard browser e2e SKIPPED: no chromium binary (apt-get install -y chromium, or set CHROMIUM_PATH)',
  );
}
const describeWithChromium = chromium ? describe : describe.skip;

describeWithChromium('dashboard in headless Chromium', () => {
  let db: TestDatabase;
  let pool: Pool;
  let api: InProcessScheduler;
  let browser: Browser;
  // The completeness panel's report asks a source: a RepCard simulator (the route reads the ingest's variables).
  let sim: RepcardSimulator;
  const saved = { ...process.env };
  const shots = mkdtempSync(join(tmpdir(), 'tributary-dashboard-'));

  beforeAll(async () => {
    ({ db, pool } = await readModelDatabase());
    await seedDashboardRows(pool);
    sim = createRepcardSimulator({ seed: 8, size: 200, rateLimit: 10_000, now: new Date() });
    const { url } = await sim.start();
    Object.assign(process.env, {
      REPCARD_API_URL: url,
      REPCARD_API_KEY: sim.config.apiKey,
      REPCARD_RATE_LIMIT: '10000',
    });
    api = await startInProcess(db.url, { SCHEDULE_ENABLED: 'false' });
    browser = await launchChromium(chromium!);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await sim?.stop();
    process.env = saved;
    await pool?.end();
    await db?.drop();
  });

  describe.each(Object.keys(VIEWPORTS) as ViewportName[])('at the %s width', (viewport) => {
    let page: Page;
    beforeAll(async () => {
      page = await signedInDashboard(browser, api.url, viewport, TEST_ADMIN);
      const file = join(shots, `dashboard-${viewport}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.info(`dashboard screenshot (${viewport}): ${file}`);
    });
    afterAll(async () => {
      await page?.browserContext().close();
    });

    it('when signed in, then each KPI card shows its figure, large ones compact with the exact value in the title', async () => {
      const { kpis } = await dashboardFacts(page);
      expect(Object.keys(kpis).sort()).toEqual(['kpi-dlq', 'kpi-orders', 'kpi-practices', 'kpi-revenue']);
      expect(kpis['kpi-orders']).toEqual({ text: '1,500', title: '1,500' });
      expect(kpis['kpi-practices']!.text).toMatch(/^\d+$/);
      // Some $12M of orders: compact on the card, to the cent in the title.
      expect(kpis['kpi-revenue']!.text).toMatch(/^\$\d+(\.\d)?M$/);
      expect(kpis['kpi-revenue']!.title).toMatch(/^\$\d{1,3}(,\d{3}){2}\.\d{2}$/);
      expect(kpis['kpi-dlq']!.text).toMatch(/^\d+$/);
    });

    it('when rendered, then no card, KPI figure or overview table is wider than its box, nor the page than the screen', async () => {
      const facts = await dashboardFacts(page);
      expect(facts.overflowing).toEqual([]);
      expect(facts.pageScrollWidth).toBeLessThanOrEqual(facts.viewportWidth);
    });

    it('when rendered, then the completeness panel shows its source, window size and Estimate button, nothing asked yet', async () => {
      const controls = await page.$$eval(
        '#completeness .controls select, #completeness .controls button',
        (els) => els.map((e) => e.id),
      );
      expect(controls).toEqual([
        'completeness-source',
        'completeness-by',
        'completeness-estimate',
        'completeness-run',
      ]);
      expect(await page.$$eval('#completeness tr.completeness-row', (trs) => trs.length)).toBe(0);
    });

    it('when rendered, then the geography, rep and freshness tables have rows', async () => {
      const facts = await dashboardFacts(page);
      expect(facts.geographyRows).toBeGreaterThanOrEqual(10);
      expect(facts.repRows).toBe(FIXTURE.reps);
      expect(facts.freshnessRows).toBe(9);
      const first = await page.$eval('#reps tbody tr td.label', (td) => td.textContent);
      expect(first).toBe('Avery Christensen'); // the most skewed setter
    });
  });

  it('when the completeness panel estimates, then runs the report, then the cost is shown first and every RepCard entity has a row with its verdict', async () => {
    const page = await signedInDashboard(browser, api.url, 'desktop', TEST_ADMIN);
    try {
      expect(await page.$eval('#completeness h2', (e) => e.textContent)).toBe('Completeness');
      expect(
        await page.$eval('#completeness-run', (b) => (b as unknown as { disabled: boolean }).disabled),
      ).toBe(true);
      await page.locator('#completeness-estimate').click();
      await page.waitForFunction(
        `/^Cost: \\d+ requests?, about \\d+ s at 10000 per 60 s/.test(document.querySelector('#completeness-message').textContent)`,
        { timeout: 15_000 },
      );
      await page.locator('#completeness-run').click();
      await page.waitForFunction(
        `/^Verdict: (complete|gap) · \\d+ requests/.test(document.querySelector('#completeness-message').textContent)`,
        { timeout: 30_000 },
      );
      const rows = await page.$$eval('#completeness tr.completeness-row', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
      );
      const totals = rows.filter((r) => r[1] === 'all').map((r) => r[0]);
      expect(totals).toEqual(
        expect.arrayContaining(['users', 'offices', 'customers', 'appointments', 'status logs']),
      );
      for (const r of rows) expect(r[4]).toMatch(/^(complete|gap \(\d+ missing\)|unknown)$/);
      const facts = await dashboardFacts(page);
      expect(facts.overflowing).toEqual([]);
    } finally {
      await page.browserContext().close();
    }
  });

  it('when Cancel is pressed on a running run, then it is posted with the CSRF token and the answer, or its error text, is shown', async () => {
    const page = await signedInDashboard(browser, api.url, 'desktop', TEST_ADMIN);
    try {
      const request = page.waitForRequest(
        (r) =>
          r.method() === 'POST' && r.url().endsWith(`/api/admin/sync/runs/${FIXTURE.runningSyncId}/cancel`),
      );
      // A locator: the runs table is drawn again while a run is running (the button may be replaced).
      await page.locator('#card-repcard button.cancel').click();
      const sent = await request;
      expect(sent.headers()['x-csrf-token']).toMatch(/.{16,}/);
      // No ingest runs here: whatever the route answers (404 before it exists, 409, 202), the page says it.
      await page.waitForFunction(
        `/^(Not cancelled: .+|Cancel requested: .+)$/.test((document.querySelector('#card-repcard .message') || {}).textContent || '')`,
        { timeout: 15_000 },
      );
      const message = await page.$eval('#card-repcard .message', (m) => m.textContent ?? '');
      const answer = (await sent.response())?.status() ?? 0;
      if (answer >= 400) expect(message).toMatch(/^Not cancelled: \S/);
      else expect(message).toBe(`Cancel requested: ${FIXTURE.runningSyncId}`);
    } finally {
      await page.browserContext().close();
    }
  });
});
