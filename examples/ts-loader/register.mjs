// Runs this repository's TypeScript (the examples and the packages' sources) in plain Node
// with no build step:
//
//   node --conditions=@xinfang/source --import ./examples/ts-loader/register.mjs examples/worker/main.ts
//
// `--conditions=@xinfang/source` makes `@xinfang/*` imports resolve to each package's
// `src/index.ts`, as the tests do; the hooks registered here compile each `.ts` file with
// esbuild as it is loaded. Your own project compiles its TypeScript its own way (tsc, a
// bundler) and imports the built packages; it does not need this.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
