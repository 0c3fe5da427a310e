/**
 * The files a config may make the loader read: its `extends` parents, templates and calendars.
 * A config is data a province writes, and `validate` or a service may load one it did not write:
 * an `extends` or template path must not reach the server's other files (its lines would be
 * printed in diagnostics), a device (`/dev/zero` never ends) or a FIFO (its reader waits
 * forever). So every referenced file must lie under an allowed root, be a regular file after
 * its symbolic links are resolved, and be no larger than a limit.
 */

import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';

/** The largest config, calendar or template file read by default: 1 MiB. */
export const DEFAULT_MAX_FILE_BYTES = 1_048_576;

/** Where referenced files may be, and how large. */
export interface FileAccess {
  /** Real paths of the folders a referenced file may lie under. */
  roots: readonly string[];
  /** Files larger than this are refused. */
  maxBytes: number;
}

/** Why a file was not read. */
export type FileRefusal = 'missing' | 'outside' | 'not-regular' | 'too-large' | 'unreadable';

/** A file read, or refused with the reason (never with any of its content). */
export type FileRead =
  | { ok: true; path: string; real: string; text: string }
  | { ok: false; reason: FileRefusal; path: string; size?: number };

/** The real path of `p`, or `p` resolved when it does not exist (yet). */
export function realPathOf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/**
 * The project root holding `dir`: the nearest folder, from `dir` up, that is a git working tree
 * (has `.git`); else the outermost npm workspace root (a `package.json` with `workspaces`) above
 * the nearest package; else the nearest folder with a `package.json`. A province config kept in a
 * package of a monorepo thus reaches the repository's national config. Undefined when none.
 */
export function projectRootOf(dir: string): string | undefined {
  let root: string | undefined;
  for (let d = resolve(dir); ; ) {
    if (existsSync(join(d, '.git'))) return d;
    const manifest = join(d, 'package.json');
    if (existsSync(manifest) && (root === undefined || isWorkspaceRoot(manifest))) root = d;
    const up = dirname(d);
    if (up === d) return root;
    d = up;
  }
}

function isWorkspaceRoot(manifest: string): boolean {
  const read = readConfinedFile(manifest, {
    roots: [dirname(realPathOf(manifest))],
    maxBytes: DEFAULT_MAX_FILE_BYTES,
  });
  if (!read.ok) return false;
  try {
    return (JSON.parse(read.text) as { workspaces?: unknown }).workspaces !== undefined;
  } catch {
    return false;
  }
}

/**
 * The roots a config at `file` may read under: the project root holding it (so a province's
 * `../../national.yaml` is found), or its own folder when it lies in no project, and `extra`
 * (the caller's own list). Each as a real path.
 */
export function allowedRoots(file: string, extra: readonly string[] = []): string[] {
  const dir = dirname(resolve(file));
  const own = projectRootOf(dir) ?? dir;
  return [...new Set([own, ...extra.map((r) => resolve(r))].map(realPathOf))];
}

/** Whether `path` (a real path) is `root` or lies under it. */
export function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

/**
 * The file a bare specifier names inside an installed package (`@xinfang/configs/national.yaml`),
 * resolved from `fromFile` as Node resolves imports, with the package's folder, which becomes an
 * allowed root for that file. Undefined for a relative or absolute path, or no such package.
 */
export function packageFile(specifier: string, fromFile: string): { path: string; root: string } | undefined {
  if (specifier.startsWith('.') || isAbsolute(specifier)) return undefined;
  const parts = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  if (parts.length <= nameLength || parts.slice(0, nameLength).some((p) => p === '')) return undefined;
  const name = parts.slice(0, nameLength).join('/');
  try {
    const manifest = createRequire(resolve(fromFile)).resolve(`${name}/package.json`);
    const root = dirname(manifest);
    return { path: join(root, ...parts.slice(nameLength)), root: realPathOf(root) };
  } catch {
    return undefined;
  }
}

/**
 * A path as the loaders take it: a scoped package specifier (`@xinfang/configs/national.yaml`)
 * becomes the file inside that package as installed beside the calling project (resolved from
 * the current folder, as `node` resolves an import there); any other path, or a specifier that
 * names a file that exists as written, is returned as it is.
 */
export function packagePath(path: string): string {
  if (!path.startsWith('@') || existsSync(path)) return path;
  return packageFile(path, join(resolve('.'), 'package.json'))?.path ?? path;
}

/** Checks a path against the access rules without reading it; `size` is known when it is a file. */
export function checkFile(path: string, access: FileAccess): FileRead {
  const lexical = resolve(path);
  let real: string;
  try {
    real = realpathSync(lexical);
  } catch {
    // a missing file outside the roots is refused as outside: its absence says nothing then
    return { ok: false, reason: inRoots(lexical, access) ? 'missing' : 'outside', path: lexical };
  }
  if (!inRoots(real, access)) return { ok: false, reason: 'outside', path: lexical };
  let size: number;
  try {
    const st = statSync(real);
    if (!st.isFile()) return { ok: false, reason: 'not-regular', path: lexical };
    size = st.size;
  } catch {
    return { ok: false, reason: 'unreadable', path: lexical };
  }
  if (size > access.maxBytes) return { ok: false, reason: 'too-large', path: lexical, size };
  return { ok: true, path: lexical, real, text: '' };
}

function inRoots(path: string, access: FileAccess): boolean {
  return access.roots.some((root) => isUnder(path, root));
}

/**
 * Reads a file under the access rules. It is opened without blocking and checked again through
 * its descriptor (a file swapped for a FIFO after the check is still refused), and at most
 * `maxBytes + 1` bytes are ever read.
 */
export function readConfinedFile(path: string, access: FileAccess): FileRead {
  const checked = checkFile(path, access);
  if (!checked.ok) return checked;
  let fd: number;
  try {
    fd = openSync(checked.real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return { ok: false, reason: 'unreadable', path: resolve(path) };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, reason: 'not-regular', path: resolve(path) };
    const buffer = Buffer.alloc(Math.min(st.size, access.maxBytes) + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) {
      n = readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > access.maxBytes)
      return { ok: false, reason: 'too-large', path: resolve(path), size: length };
    return {
      ok: true,
      path: checked.path,
      real: checked.real,
      text: buffer.subarray(0, length).toString('utf8'),
    };
  } catch {
    return { ok: false, reason: 'unreadable', path: resolve(path) };
  } finally {
    closeSync(fd);
  }
}
