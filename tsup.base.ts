import type { Options } from 'tsup';

/** The build every library package shares: ESM + CJS + declarations, for Node 20. */
export const library: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
};
