import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type SealedDocument, verifyDocument, XinfangError } from '@xinfang/core';
import type { Command } from 'commander';
import { CliExit, type CliIo } from '../io.js';

function read(io: CliIo, file: string, what: string): string {
  const path = resolve(io.cwd, file);
  try {
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
      let sealed: unknown;
      try {
        sealed = JSON.parse(text);
      } catch (e) {
        io.err(`invalid: ${file} is not JSON (${(e as Error).message})`);
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
        const d = (sealed as SealedDocument).document;
        io.out(`valid: ${d.name} ${d.number}, case ${d.caseId}, issued by ${d.issuedBy.name} on ${d.date}`);
        io.out(`sealed with key ${(sealed as SealedDocument).seal.keyId}`);
        return;
      }
      io.err(`invalid: ${file}`);
      for (const p of result.problems) io.err(`  ${p.code}: ${p.message}`);
      throw new CliExit(1);
    });
}
