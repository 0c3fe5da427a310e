import { performance } from 'node:perf_hooks';

/** One measured row of a side-by-side table. */
export interface Measurement {
  name: string;
  ops: number;
  ms: number;
  /** Operations per second. */
  rate: number;
  /** Heap growth over the run, in MiB (a rough memory signal, not a profile). */
  heapMiB: number;
}

/**
 * Runs `fn` `ops` times (or once with `ops` as its own count when `batch` is true) after a
 * short warm-up, and reports the rate. Time is wall time on this machine: compare rows of
 * one run, never across machines.
 */
export async function measure(
  name: string,
  ops: number,
  fn: (i: number) => unknown | Promise<unknown>,
  { warmup = Math.min(1000, Math.ceil(ops / 10)) }: { warmup?: number } = {},
): Promise<Measurement> {
  for (let i = 0; i < warmup; i++) await fn(i);
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  for (let i = 0; i < ops; i++) await fn(i);
  const ms = performance.now() - t0;
  const heapMiB = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;
  return { name, ops, ms, rate: (ops / ms) * 1000, heapMiB };
}

/** Prints measurements as a table, each row's rate also as a ratio to the first (the baseline). */
export function printTable(title: string, rows: Measurement[]): void {
  const base = rows[0]?.rate ?? 1;
  console.log(`\n## ${title}\n`);
  console.log('| what | ops | time (ms) | ops/s | vs baseline | heap Δ (MiB) |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.ops} | ${r.ms.toFixed(1)} | ${Math.round(r.rate).toLocaleString('en')} | ${(r.rate / base).toFixed(3)}x | ${r.heapMiB.toFixed(1)} |`,
    );
  }
}
