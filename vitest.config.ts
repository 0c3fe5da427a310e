import { defineConfig } from 'vitest/config';

// Tests import sibling packages from source through the `@xinfang/source` export
// condition, so `npm test` needs no prior build.
export default defineConfig({
  resolve: { conditions: ['@xinfang/source'] },
  ssr: { resolve: { conditions: ['@xinfang/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
