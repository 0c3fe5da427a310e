import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { samplePetition } from '@xinfang/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { serve } from '../src/commands/serve.js';
import { bufferIo } from '../src/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const base = { config: 'configs/national.yaml', port: '0', host: '127.0.0.1', tickEvery: '60' };

describe('xinfang serve', () => {
  it('serves a SQLite store with development tokens on loopback, and stops cleanly', async () => {
    dir = mkdtempSync(join(tmpdir(), 'xinfang-serve-'));
    const io = bufferIo(root);
    const db = join(dir, 'cases.sqlite');
    const running = await serve(io, { ...base, db });
    try {
      expect(io.stdout()).toContain(`at ${running.url}`);
      const tokens = JSON.parse(readFileSync(`${db}.tokens.json`, 'utf8')) as Record<
        string,
        { unit: string; roles: string[] }
      >;
      const [window] = Object.entries(tokens).find(([, p]) => p.unit === 'county-bureau') ?? [];
      const filed = await fetch(`${running.url}/petitions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${window}`, 'content-type': 'application/json' },
        body: JSON.stringify(samplePetition()),
      });
      expect(filed.status).toBe(201);
      const board = await fetch(`${running.url}/board/counts`, {
        headers: { authorization: `Bearer ${window}` },
      });
      expect(((await board.json()) as { total: object }).total).toMatchObject({ green: 1 });
      // the reports read the same store, over the cases the caller may read
      const metrics = await fetch(`${running.url}/reports/metrics`, {
        headers: { authorization: `Bearer ${window}` },
      });
      expect(metrics.status).toBe(200);
      const { totals } = (await metrics.json()) as { totals: { key: string; cases: number }[] };
      expect(totals.find((r) => r.key === '*')?.cases).toBe(1);
      expect((await fetch(`${running.url}/ready`)).status).toBe(200);
    } finally {
      await running.stop();
    }
    await running.stopped;
    await expect(fetch(`${running.url}/health`)).rejects.toThrow();
  });

  it('refuses half a JWT setup, a webhook without its secret and a static table on a public address', async () => {
    dir = mkdtempSync(join(tmpdir(), 'xinfang-serve-'));
    const io = bufferIo(root);
    await expect(
      serve(io, { ...base, db: join(dir, 'a.sqlite'), jwtIssuer: 'https://sso' }),
    ).rejects.toMatchObject({
      code: 'CLI_USAGE',
    });
    // a webhook without its secret: the secret comes from the environment, never the command line
    const secret = process.env.XINFANG_WEBHOOK_SECRET;
    delete process.env.XINFANG_WEBHOOK_SECRET;
    try {
      await expect(
        serve(io, { ...base, db: join(dir, 'c.sqlite'), webhookUrl: 'http://127.0.0.1:9/inbox' }),
      ).rejects.toMatchObject({
        code: 'CLI_USAGE',
        message: expect.stringContaining('XINFANG_WEBHOOK_SECRET'),
      });
    } finally {
      if (secret !== undefined) process.env.XINFANG_WEBHOOK_SECRET = secret;
    }
    await expect(serve(io, { ...base, db: join(dir, 'b.sqlite'), host: '0.0.0.0' })).rejects.toThrow(
      /127\.0\.0\.1/,
    );
  });
});
