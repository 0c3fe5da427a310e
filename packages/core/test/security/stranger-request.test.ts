/** A stranger's early request on another petitioner's case, on the memory store (see stranger-request.ts). */

import { describe, it } from 'vitest';
import { createMemoryStore } from '../../src/store/index.js';
import { strangerRequestAttack } from './stranger-request.js';

describe("a stranger's early request on another petitioner's case", () => {
  it('is refused as no such case and writes nothing, before any receipt (memory store)', async () => {
    await strangerRequestAttack(createMemoryStore());
  });
});
