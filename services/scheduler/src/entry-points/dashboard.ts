import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';

/** The dashboard page: one self-contained HTML file (inline CSS and vanilla JS, no build step). */
export const DASHBOARD_FILE = join(__dirname, 'dashboard.html');

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

/** `GET /`: the dashboard (read once, at start-up). */
export function mountDashboard(app: Express, html: string = readFileSync(DASHBOARD_FILE, 'utf8')): void {
  app.get('/', (_req, res) => {
    res
      .status(200)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      })
      .send(html);
  });
}
