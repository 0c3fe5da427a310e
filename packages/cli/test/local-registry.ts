/**
 * A registry on loopback that serves the packed tarballs under their names, as the npm registry
 * would once they are published: `npm install -g @xinfang/cli` and `npx @xinfang/cli` resolve
 * the CLI's `@xinfang/*` dependencies through it, and every other package through the real
 * registry (the `.npmrc` it writes routes only the `@xinfang` scope here).
 */

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';

export interface LocalRegistry {
  /** An `.npmrc` that sends the `@xinfang` scope to this registry. */
  npmrc: string;
  close(): Promise<void>;
}

/** Serves `tarballs` (package name → tarball file); writes its `.npmrc` into `dir`. */
export async function startLocalRegistry(tarballs: Map<string, string>, dir: string): Promise<LocalRegistry> {
  const files = new Map<string, string>(); // tarball file name → path
  const packuments = new Map<string, (base: string) => unknown>();
  for (const [name, file] of tarballs) {
    const data = readFileSync(file);
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' }),
    ) as { version: string } & Record<string, unknown>;
    files.set(basename(file), file);
    const integrity = `sha512-${createHash('sha512').update(data).digest('base64')}`;
    const shasum = createHash('sha1').update(data).digest('hex');
    packuments.set(name, (base) => ({
      name,
      'dist-tags': { latest: manifest.version },
      versions: {
        [manifest.version]: {
          ...manifest,
          dist: { tarball: `${base}/-/${basename(file)}`, integrity, shasum },
        },
      },
    }));
  }
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const tarball = path.startsWith('/-/') ? files.get(path.slice(3)) : undefined;
    if (tarball) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(readFileSync(tarball));
      return;
    }
    const packument = packuments.get(path.slice(1));
    if (packument) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(packument(base)));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"error":"not found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const npmrc = join(dir, '.npmrc');
  writeFileSync(npmrc, `@xinfang:registry=http://127.0.0.1:${port}/\n`);
  return {
    npmrc,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
