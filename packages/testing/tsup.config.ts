import { defineConfig } from 'tsup';
import { library } from '../../tsup.base.js';

// Two entries: the conformance suites (which register vitest blocks) and the compliance
// checker, which the CLI runs outside any test runner and so must not import vitest.
export default defineConfig({
  ...library,
  entry: { index: 'src/index.ts', 'compliance/index': 'src/compliance/index.ts' },
});
