import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/**
 * A path the user typed: a scoped package's file (`@xinfang/configs/national.yaml`) is the file
 * in that package as installed beside `cwd`, as `node` would resolve an import there; anything
 * else (or a package that is not installed) is a path relative to `cwd`.
 */
export function resolveUserPath(cwd: string, path: string): string {
  const plain = resolve(cwd, path);
  if (!path.startsWith('@') || existsSync(plain)) return plain;
  const parts = path.split('/');
  if (parts.length < 2 || !parts[0] || !parts[1]) return plain;
  try {
    const manifest = createRequire(join(resolve(cwd), 'package.json')).resolve(
      `${parts[0]}/${parts[1]}/package.json`,
    );
    return join(dirname(manifest), ...parts.slice(2));
  } catch {
    return plain;
  }
}
