import { defineConfig } from 'vitest/config';

// Tests import sibling packages from source through the `@xinfang/source` export
// condition, so `npm test` needs no prior build.
export default defineConfig({
  resolve: { conditions: ['@xinfang/source'] },
  ssr: { resolve: { conditions: ['@xinfang/source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/**/*.test.ts'],
    // generous: on a loaded 2-core machine a property run or a crash drill can take a while;
    // a hung test still fails, just later
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
