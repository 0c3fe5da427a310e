import { defineConfig } from 'tsup';
import { library } from '../../tsup.base.js';

// Two entries: the whole core, and the store kit that adapters import. Splitting (for CommonJS
// too) puts what both share, the store errors above all, in one chunk, so an error class thrown
// through one entry is the class the other tests with `instanceof`.
export default defineConfig({
  ...library,
  entry: { index: 'src/index.ts', 'store-kit': 'src/store/kit/index.ts' },
  splitting: true,
});
