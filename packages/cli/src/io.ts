/** Where a command writes. Tests pass buffers; the binary passes the process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Directory relative paths are resolved against. */
  cwd: string;
  /**
   * Folders, besides the config's own project, that `extends`, templates and calendars may be
   * read from (`--allow-root`); set from the command line before a command runs.
   */
  allowedRoots?: string[];
  /**
   * A file of the running command (its `bin`), where packages it depends on are found when the
   * working directory has none installed (`@xinfang/configs/...` for a global install or npx).
   */
  installedAt?: string;
}

/** Thrown by a command to end with an exit code after it has printed what it had to say. */
export class CliExit extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

/** An `io` that collects output in memory, for tests. */
export function bufferIo(cwd: string): CliIo & { stdout: () => string; stderr: () => string } {
  let o = '';
  let e = '';
  return {
    cwd,
    out: (t) => {
      o += t.endsWith('\n') ? t : `${t}\n`;
    },
    err: (t) => {
      e += t.endsWith('\n') ? t : `${t}\n`;
    },
    stdout: () => o,
    stderr: () => e,
  };
}
