import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { ConfigError } from '@tributary/core';
import { loadSimConfig } from '../src/config';
import { runSendCli } from '../src/send-cli';

describe('configuration', () => {
  test('when nothing is set, then the documented defaults apply', () => {
    expect(loadSimConfig({})).toMatchObject({
      SIM_CURAGENESIS_PORT: 4020,
      SIM_CURAGENESIS_SEED: 42,
      SIM_CURAGENESIS_PRACTICES: 2000,
      SIM_CURAGENESIS_ORDERS: 20000,
      SIM_CURAGENESIS_API_KEY: 'sim-curagenesis-key',
      SIM_CURAGENESIS_LATENCY_MS: 0,
      SIM_CURAGENESIS_WEBHOOK_RATE: 1,
    });
  });

  test.each([
    ['SIM_CURAGENESIS_PORT', '70000'],
    ['SIM_CURAGENESIS_SEED', '-1'],
    ['SIM_CURAGENESIS_PRACTICES', '0'],
    ['SIM_CURAGENESIS_ORDERS', 'many'],
    ['SIM_CURAGENESIS_LATENCY_MS', '1.5'],
    ['SIM_CURAGENESIS_WEBHOOK_TARGET', 'not a url'],
    ['SIM_CURAGENESIS_WEBHOOK_RATE', '0'],
    ['SIM_CURAGENESIS_NOW', 'yesterday'],
  ])('when %s is %s, then a ConfigError names that variable', (name, value) => {
    expect(() => loadSimConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadSimConfig({ [name]: value })).toThrow(new RegExp(`^${name}: `));
  });

  test('when SIM_CURAGENESIS_NOW is set, then the data set ends then', () => {
    expect(loadSimConfig({ SIM_CURAGENESIS_NOW: '2026-11-21T10:00:00Z' }).SIM_CURAGENESIS_NOW).toBe(
      '2026-11-21T10:00:00Z',
    );
    expect(loadSimConfig({}).SIM_CURAGENESIS_NOW).toBeUndefined();
  });

  test('when a webhook target is set without a secret, then the error names CURAGENESIS_WEBHOOK_SECRET', () => {
    expect(() => loadSimConfig({ SIM_CURAGENESIS_WEBHOOK_TARGET: 'http://127.0.0.1:4000' })).toThrow(
      /^CURAGENESIS_WEBHOOK_SECRET: /,
    );
  });

  test('when main starts with a bad value, then it prints one line naming the variable and exits 2', () => {
    const root = join(__dirname, '..', '..', '..');
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(root, 'tools/sim-curagenesis/src/main.ts')],
      { cwd: root, env: { ...process.env, SIM_CURAGENESIS_PORT: 'abc' }, encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.status).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/SIM_CURAGENESIS_PORT/);
  }, 60_000);
});

describe('send command', () => {
  test('when sending a duplicated order.placed, then each attempt is printed as one JSON line', async () => {
    const got: string[] = [];
    const app = express();
    app.use(express.raw({ type: () => true }));
    app.post('/api/webhooks/curagenesis/order-placed', (req, res) => {
      got.push((req.body as Buffer).toString());
      res.status(200).json({ ok: true });
    });
    const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const lines: string[] = [];
      const config = loadSimConfig({ SIM_CURAGENESIS_PRACTICES: '20', SIM_CURAGENESIS_ORDERS: '100' });
      await runSendCli(
        ['--event', 'order.placed', '--variant', 'duplicate', '--count', '1', '--secret', 's'].concat([
          '--target',
          `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        ]),
        config,
        { write: (chunk: string) => lines.push(chunk) },
      );
      expect(got).toHaveLength(2);
      expect(got[0]).toBe(got[1]);
      expect(lines.map((l) => JSON.parse(l))).toEqual([
        expect.objectContaining({ event: 'order.placed', status: 200, variant: 'duplicate' }),
        expect.objectContaining({ event: 'order.placed', status: 200, variant: 'duplicate' }),
      ]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  test('when the event name is unknown, then it refuses with a message', async () => {
    const config = loadSimConfig({});
    await expect(
      runSendCli(['--event', 'nope', '--target', 'http://x', '--secret', 's'], config),
    ).rejects.toThrow(/--event must be one of/);
  });
});
