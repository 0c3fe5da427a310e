import { defineConfig } from 'tsup';
import { library } from '../../tsup.base.js';

// Three entries: the conformance suites (which register vitest blocks), and the compliance
// checker and the fuzzers, which the CLI runs outside any test runner and so must not import vitest.
export default defineConfig({
  ...library,
  entry: {
    index: 'src/index.ts',
    'compliance/index': 'src/compliance/index.ts',
    'fuzz/index': 'src/fuzz/index.ts',
  },
});
