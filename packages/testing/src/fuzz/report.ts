/** What a fuzz run reports: how many inputs, the refusals by code, and every uncoded failure. */

import { isXinfangError } from '@xinfang/core';

/** An input that ended in an error without a code (a crash), or in a diagnostic without one. */
export interface FuzzFailure {
  /** Index of the input in the run. */
  input: number;
  /** What the input did (the mutation or the step), described without its large values. */
  what: string;
  /** The error's name and first line. */
  error: string;
  stack?: string;
}

/** The outcome of one fuzz run. */
export interface FuzzReport {
  kind: 'config' | 'command';
  seed: number;
  /** Inputs tried. */
  inputs: number;
  /** Operations performed (loads, engine calls). */
  operations: number;
  /** Coded refusals by code: what the hostile inputs were turned into. */
  refusals: Record<string, number>;
  /** The command fuzzer's cases at the end of their programs, by state: how deep the programs went. */
  states: Record<string, number>;
  failures: FuzzFailure[];
}

/** Counts a coded refusal, or records an uncoded error as a failure. */
export function judge(report: FuzzReport, input: number, what: string, e: unknown): void {
  if (isXinfangError(e)) {
    report.refusals[e.code] = (report.refusals[e.code] ?? 0) + 1;
    return;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  report.failures.push({
    input,
    what,
    error: `${err.name}: ${(err.message.split('\n')[0] ?? '').slice(0, 200)}`,
    ...(err.stack ? { stack: err.stack.split('\n').slice(0, 8).join('\n') } : {}),
  });
}

/** A fresh report. */
export function newReport(kind: FuzzReport['kind'], seed: number): FuzzReport {
  return { kind, seed, inputs: 0, operations: 0, refusals: {}, states: {}, failures: [] };
}

/** One line per report: inputs, operations, refusals, failures. */
export function summary(r: FuzzReport): string {
  const codes = Object.entries(r.refusals)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
  const states = Object.keys(r.states).length;
  return `${r.kind} fuzz (seed ${r.seed}): ${r.inputs} inputs, ${r.operations} operations, ${r.failures.length} uncoded failures${codes ? `; refusals: ${codes}` : ''}${states ? `; cases ended in ${states} states` : ''}`;
}
