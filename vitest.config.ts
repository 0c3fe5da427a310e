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
    // vitest's default leaves one core idle (cpus - 1): on the 2-core CI machine that is a single
    // worker and the suite takes twice as long; the main process only collects results
    maxWorkers: '100%',
  },
});
