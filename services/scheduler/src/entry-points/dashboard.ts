import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';

/** The dashboard page: one self-contained HTML file (inline CSS and vanilla JS, no build step). */
export const DASHBOARD_FILE = join(__dirname, 'dashboard.html');
/** Its overview (KPIs, geography, reps, freshness, DLQ): inlined at the page's `<!--OVERVIEW-->` mark. */
export const OVERVIEW_FILE = join(__dirname, 'dashboard-overview.html');
const OVERVIEW_MARK = '<!--OVERVIEW-->';
/** Its completeness panel (issue 13 item 2): inlined at the page's `<!--COMPLETENESS-->` mark. */
export const COMPLETENESS_FILE = join(__dirname, 'dashboard-completeness.html');
const COMPLETENESS_MARK = '<!--COMPLETENESS-->';

/**
 * The page may only run its own inline script and talk to this origin (the admin API and
 * /api/events); it loads nothing else.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'unsafe-inline'",
  "style-src 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Marks the page says it is a demo on (replaced at start-up): a banner, and the body's data-demo. */
const DEMO_BANNER_MARK = '<!--DEMO-BANNER-->';

export interface DashboardOptions {
  /** Demo mode: every page says so, in a banner no one can miss. */
  demo: boolean;
  /** The page and its overview, instead of the files (tests). */
  html?: string;
  overviewHtml?: string;
}

/**
 * `GET /`: the dashboard (read once, at start-up). The page itself holds no data: it signs in
 * (`POST /api/session`) and reads the API, which needs a role for everything.
 */
export function mountDashboard(app: Express, options: DashboardOptions): void {
  const page = options.html ?? readFileSync(DASHBOARD_FILE, 'utf8');
  const template = page.includes(OVERVIEW_MARK)
    ? page.replace(OVERVIEW_MARK, () => options.overviewHtml ?? readFileSync(OVERVIEW_FILE, 'utf8'))
    : page;
  const withPanel = template.includes(COMPLETENESS_MARK)
    ? template.replace(COMPLETENESS_MARK, () => readFileSync(COMPLETENESS_FILE, 'utf8'))
    : template;
  const banner = options.demo
    ? '<div class="demo-banner" role="alert">DEMO MODE: simulated data and public demo credentials. Not for real data.</div>'
    : '';
  const html = withPanel
    .replace(DEMO_BANNER_MARK, banner)
    .replace('<body>', options.demo ? '<body data-demo="1">' : '<body>');
  app.get('/', (_req, res) => {
    res
      .status(200)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'X-Frame-Options': 'DENY',
      })
      .send(html);
  });
}
