// The version printed by `xinfang --version`: the package's own, bundled at build time so the
// binary needs no package.json beside it.
import pkg from '../package.json' with { type: 'json' };

export const version: string = pkg.version;
