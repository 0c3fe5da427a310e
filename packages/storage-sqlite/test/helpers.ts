/**
 * Child processes for the multi-process and crash tests. A child cannot import TypeScript
 * source, so the store is bundled once with esbuild into a temp dir; better-sqlite3 (a native
 * addon) stays external, imported by its absolute path so the bundle resolves it from anywhere.
 */

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
export const WORKER = fileURLToPath(new URL('./fixtures/worker.mjs', import.meta.url));

/** Bundles `src/index.ts` (and the core source it imports) into `<dir>/store.mjs`. */
export async function bundleStore(): Promise<{ bundle: string; dir: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'xinfang-sqlite-bundle-'));
  const bundle = join(dir, 'store.mjs');
  const betterSqlite3 = require.resolve('better-sqlite3');
  await build({
    entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@xinfang/source'],
    logLevel: 'error',
    // Bundled CommonJS dependencies may call require(); give them one.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    plugins: [
      {
        name: 'external-native',
        setup(b) {
          b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: betterSqlite3, external: true }));
        },
      },
    ],
  });
  return { bundle, dir, dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** A running worker: its stdout lines as they arrive, and a promise of its exit. */
export interface Worker {
  child: ChildProcess;
  lines: string[];
  stderr: () => string;
  /** Resolves once a line satisfying `match` has arrived. */
  waitFor: (match: (line: string) => boolean, timeoutMs?: number) => Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `fixtures/worker.mjs` with `args` (JSON). Only complete lines are recorded. */
export function startWorker(args: Record<string, unknown>): Worker {
  const child = spawn(process.execPath, [WORKER, JSON.stringify(args)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  let partial = '';
  let errors = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.splice(0)) {
        if (w.match(line)) w.resolve(line);
        else waiters.push(w);
      }
    }
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    errors += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    lines,
    stderr: () => errors,
    exited,
    waitFor: (match, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const found = lines.find(match);
        if (found !== undefined) return resolve(found);
        const timer = setTimeout(
          () =>
            reject(new Error(`worker did not print the expected line in ${timeoutMs} ms; stderr: ${errors}`)),
          timeoutMs,
        );
        waiters.push({
          match,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`worker exited before printing the expected line; stderr: ${errors}`));
        });
      }),
  };
}
