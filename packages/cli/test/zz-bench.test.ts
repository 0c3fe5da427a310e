import { it, vi } from 'vitest';
vi.mock('@xinfang/core', async (orig) => ({ ...(await orig<object>()), ...(await import('../../core/src/config/index.js')) }));
it('bench', async () => {
  const { run } = await import('../../bench/src/config-load.js');
  await run();
}, 300_000);
