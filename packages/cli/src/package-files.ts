import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageFile } from '@xinfang/core/tooling';

/**
 * A path the user typed: a scoped package's file (`@xinfang/configs/national.yaml`) is the file
 * in that package as installed beside `cwd`, as `node` would resolve an import there, else as
 * installed beside the command itself (`installedAt`, a file of the running CLI): a command
 * installed with `npm install -g` or run by `npx` finds the configs it ships with from any
 * folder. Anything else (or a package found in neither place) is a path relative to `cwd`.
 */
export function resolveUserPath(cwd: string, path: string, installedAt?: string): string {
  const plain = resolve(cwd, path);
  if (!path.startsWith('@') || existsSync(plain)) return plain;
  const bases = [join(resolve(cwd), 'package.json'), ...(installedAt ? [installedAt] : [])];
  for (const base of bases) {
    const found = packageFile(path, base);
    if (found) return found.path;
  }
  return plain;
}
