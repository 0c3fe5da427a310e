import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  isXinfangError,
  parseSealedDocument,
  type SealedDocument,
  verifyDocument,
  XinfangError,
} from '@xinfang/core';
import type { Command } from 'commander';
import { CliExit, type CliIo } from '../io.js';

/** A sealed document or key is small; a larger file (or a device, a FIFO) is refused unread. */
const MAX_FILE_BYTES = 4 * 1_048_576;

function read(io: CliIo, file: string, what: string): string {
  const path = resolve(io.cwd, file);
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > MAX_FILE_BYTES) {
      throw new Error(st.isFile() ? `larger than ${MAX_FILE_BYTES} bytes` : 'not a regular file');
    }
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new XinfangError('CLI_USAGE', `cannot read ${what} ${path}: ${(e as Error).message}`, {
      file: path,
    });
  }
}

/**
 * `xinfang doc verify <file> --key <public key PEM>`: checks a sealed document (the JSON that
 * `sealDocument` makes) against the issuing body's public key. Prints `valid` and exits 0, or
 * prints each problem and exits 1: one changed character anywhere fails.
 */
export function register(program: Command, io: CliIo): void {
  const doc = program.command('doc').description('work with issued documents');
  doc
    .command('verify <file>')
    .description('verify the seal of a sealed document (JSON) with the issuing body’s public key')
    .requiredOption('--key <file>', 'the public key, PEM (SPKI)')
    .action(async (file: string, opts: { key: string }) => {
      const text = read(io, file, 'sealed document');
      const key = read(io, opts.key, 'public key');
      let sealed: SealedDocument;
      try {
        // strict: a repeated key or a field outside the signed shape is refused, not overlooked
        sealed = parseSealedDocument(text);
      } catch (e) {
        if (!isXinfangError(e)) throw e;
        io.err(`invalid: ${file}`);
        io.err(`  ${e.code}: ${e.message}`);
        throw new CliExit(1);
      }
      let result: Awaited<ReturnType<typeof verifyDocument>>;
      try {
        result = await verifyDocument(sealed, key);
      } catch (e) {
        throw new XinfangError(
          'CLI_USAGE',
          `cannot use ${opts.key} as a public key: ${(e as Error).message}`,
        );
      }
      if (result.ok) {
        const d = sealed.document;
        io.out(`valid: ${d.name} ${d.number}, case ${d.caseId}, issued by ${d.issuedBy.name} on ${d.date}`);
        io.out(`sealed with key ${sealed.seal.keyId}`);
        return;
      }
      io.err(`invalid: ${file}`);
      for (const p of result.problems) io.err(`  ${p.code}: ${p.message}`);
      throw new CliExit(1);
    });
}
