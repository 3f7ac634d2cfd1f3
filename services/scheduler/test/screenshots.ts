import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadStackEnv } from '@tributary/config';
import {
  chromiumPath,
  launchChromium,
  signedInDashboard,
  VIEWPORTS,
  type ViewportName,
} from './dashboard-browser';

/**
 * `npm run screenshots`: the dashboard with the browser test's read models, signed in, at the
 * desktop and phone widths → docs/img/dashboard-desktop.png (the whole page) and
 * docs/img/dashboard-phone.png (its overview).
 * Needs the stack (`npm run stack:up`) and a chromium (`apt-get install -y chromium`).
 */
const OUT = join(__dirname, '..', '..', '..', 'docs', 'img');

async function main(): Promise<void> {
  loadStackEnv();
  // A topic namespace of its own, set before the contracts are loaded (the harness loads them).
  process.env.TRIBUTARY_TOPIC_NAMESPACE ??= `screenshots-${process.pid}.`;
  const chromium = chromiumPath();
  if (!chromium) throw new Error('no chromium binary: apt-get install -y chromium, or set CHROMIUM_PATH');
  const { readModelDatabase, startInProcess, TEST_ADMIN } = await import('./harness');
  const { seedDashboardRows } = await import('./dashboard-fixture');
  const { db, pool } = await readModelDatabase();
  const api = await startInProcess(db.url, { SCHEDULE_ENABLED: 'false' });
  const browser = await launchChromium(chromium);
  try {
    await seedDashboardRows(pool);
    mkdirSync(OUT, { recursive: true });
    for (const viewport of Object.keys(VIEWPORTS) as ViewportName[]) {
      const page = await signedInDashboard(browser, api.url, viewport, TEST_ADMIN);
      const file = join(OUT, `dashboard-${viewport}.png`);
      if (viewport === 'desktop') await page.screenshot({ path: file, fullPage: true });
      else {
        // The phone: the overview (KPIs, geography, reps, freshness), what a phone shows first.
        const bottom = (await page.evaluate(
          `(() => { const r = document.getElementById('overview').getBoundingClientRect(); return r.bottom + window.scrollY; })()`,
        )) as number;
        const { width } = VIEWPORTS.phone;
        await page.screenshot({
          path: file,
          clip: { x: 0, y: 0, width, height: Math.ceil(bottom) },
          captureBeyondViewport: true,
        });
      }
      await page.browserContext().close();
      console.log(`wrote ${file}`);
    }
  } finally {
    await browser.close();
    await api.stop();
    await pool.end();
    await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
