/**
 * A stranger's early request on another petitioner's case, on a real SQLite file: refused as no
 * such case, and nothing written (packages/core/test/security/stranger-request.ts).
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { strangerRequestAttack } from '../../core/test/security/stranger-request.js';
import { createSqliteStore } from '../src/index.js';

describe("a stranger's early request on another petitioner's case", () => {
  it('is refused as no such case and writes nothing, before any receipt (SQLite file)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xinfang-sqlite-stranger-'));
    const store = createSqliteStore({ path: join(dir, 'cases.sqlite') });
    try {
      await strangerRequestAttack(store);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
