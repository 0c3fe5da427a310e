import { defineConfig } from 'tsup';
import { library } from '../../tsup.base.js';

// One build per public entry (package.json `exports`): the embedder's face, the store kit for
// adapters, reporting, graphs, scenarios, and the tooling xinfang's own CLI and checker read.
// Splitting (for CommonJS too) puts what entries share, the error classes above all, in common
// chunks, so an error class thrown through one entry is the class another tests with `instanceof`.
export default defineConfig({
  ...library,
  entry: {
    index: 'src/index.ts',
    'store-kit': 'src/store-kit.ts',
    reporting: 'src/reporting.ts',
    graph: 'src/graph.ts',
    scenario: 'src/scenario.ts',
    tooling: 'src/tooling.ts',
  },
  splitting: true,
});
