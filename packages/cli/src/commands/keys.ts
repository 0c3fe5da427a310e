/**
 * `xinfang keys`: the store's identity key (the HMAC secret that keys ID numbers and query codes).
 *
 * - `rotate <db>`: a new secret becomes current (the old stays in the key file as previous), then
 *   every case is re-keyed by chained events (`engine.rekeyIdentities`), never by rewriting its
 *   history. Run it again after an interruption: cases already moved are skipped.
 * - `retire <db>`: drops the previous secrets from the key file once no case needs them. A query
 *   code is never stored, so it cannot be re-keyed: codes hashed under a retired secret stop
 *   working. `retire` refuses while any open case holds one, unless `--force` (issue new codes
 *   with `engine.issueQueryCode`).
 */

import { existsSync } from 'node:fs';
import {
  type CaseStore,
  createEngine,
  type Engine,
  type IdentityKeys,
  identityKeyFile,
  isCompletedStage,
  keyIdOf,
  retireIdentityKeys,
  rotateIdentityKeyFile,
  systemClock,
  XinfangError,
} from '@xinfang/core';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import type { Command } from 'commander';
import { loadJurisdictionForRun, resolvePath } from '../context.js';
import type { CliIo } from '../io.js';
import { isPostgresUrl } from '../report/source.js';

interface KeysOptions {
  keyFile?: string;
  config?: string;
  schema?: string;
  force?: boolean;
}

/** The store at `db`, writable: a SQLite file that must exist, or a PostgreSQL URL. */
export async function openStore(io: CliIo, db: string, schema?: string): Promise<CaseStore> {
  if (isPostgresUrl(db)) {
    const { createPostgresStore } = await import('@xinfang/storage-postgres');
    return createPostgresStore({ connectionString: db, migrate: false, ...(schema ? { schema } : {}) });
  }
  const path = resolvePath(io, db);
  if (!existsSync(path))
    throw new XinfangError('CLI_USAGE', `no SQLite file at ${db}: give the store's file`);
  return createSqliteStore({ path });
}

/** The key file of `db`: `--key-file`, else `<db>.identity.key` beside a SQLite file. */
export function keyFileOf(io: CliIo, db: string, opts: { keyFile?: string }): string {
  if (opts.keyFile) return resolvePath(io, opts.keyFile);
  if (isPostgresUrl(db)) throw new XinfangError('CLI_USAGE', 'a PostgreSQL store needs --key-file');
  const path = `${resolvePath(io, db)}.identity.key`;
  if (!existsSync(path)) {
    throw new XinfangError('CLI_USAGE', `no key file ${db}.identity.key beside the store: pass --key-file`);
  }
  return path;
}

function engineFor(io: CliIo, store: CaseStore, identityKeys: IdentityKeys, opts: KeysOptions): Engine {
  const configPath = opts.config ?? 'configs/national.yaml';
  const { loaded, calendars } = loadJurisdictionForRun(io, configPath);
  return createEngine({
    store,
    clock: systemClock(),
    configs: [loaded.value],
    calendars: [...calendars.values()],
    identityKeys,
  });
}

/** Re-keys every case; returns the counts, and the cases left for someone to look at. */
async function rekeyAll(engine: Engine) {
  let after: string | undefined;
  const totals = { examined: 0, rekeyed: 0, unknownKey: [] as string[], mismatched: [] as string[] };
  do {
    const r = await engine.rekeyIdentities({ limit: 500, ...(after !== undefined ? { after } : {}) });
    totals.examined += r.examined;
    totals.rekeyed += r.rekeyed.length;
    totals.unknownKey.push(...r.unknownKey.map((u) => u.caseId));
    totals.mismatched.push(...r.mismatched);
    after = r.next;
  } while (after !== undefined);
  return totals;
}

/** Open cases holding a query code made with a secret other than `current`. */
async function casesWithOldCodes(store: CaseStore, current: string): Promise<string[]> {
  const out: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.query({ limit: 500, ...(after !== undefined ? { after } : {}) });
    for (const p of page) {
      const codes = (p.data.queryCodes ?? []) as { hash?: string }[];
      if (isCompletedStage(p.stage)) continue;
      if (codes.some((q) => typeof q.hash === 'string' && keyIdOf(q.hash) !== current)) out.push(p.caseId);
    }
    if (page.length < 500) return out;
    after = page.at(-1)?.caseId;
  }
}

export function register(program: Command, io: CliIo): void {
  const keys = program.command('keys').description("the store's identity key: rotate it, retire old ones");
  const common = (c: Command) =>
    c
      .argument('<db>', 'SQLite file, or postgres://user@host:5432/db')
      .option('--key-file <file>', 'the key file (default: <db>.identity.key beside a SQLite file)')
      .option('--config <file>', 'jurisdiction config the cases run under', 'configs/national.yaml')
      .option('--schema <name>', 'PostgreSQL schema holding the tables (default: xinfang)');

  common(keys.command('rotate'))
    .description('make a new secret current and re-key every case by chained events')
    .action(async (db: string, opts: KeysOptions) => {
      const path = keyFileOf(io, db, opts);
      const store = await openStore(io, db, opts.schema);
      try {
        const identityKeys = rotateIdentityKeyFile(path);
        const t = await rekeyAll(engineFor(io, store, identityKeys, opts));
        io.out(
          `new identity key ${identityKeys.current.id}; ${t.rekeyed} of ${t.examined} cases re-keyed` +
            (t.unknownKey.length + t.mismatched.length > 0
              ? `; left for a look: ${[...t.unknownKey, ...t.mismatched].join(', ')}`
              : ''),
        );
        io.out('run `xinfang keys retire` once the previous keys are no longer needed');
      } finally {
        await store.close();
      }
    });

  common(keys.command('retire'))
    .description('drop the previous secrets from the key file once no case needs them')
    .option('--force', 'retire even if open cases hold query codes made with a previous secret')
    .action(async (db: string, opts: KeysOptions) => {
      const path = keyFileOf(io, db, opts);
      const store = await openStore(io, db, opts.schema);
      try {
        const identityKeys = identityKeyFile(path, { create: false });
        const t = await rekeyAll(engineFor(io, store, identityKeys, opts));
        if (t.unknownKey.length + t.mismatched.length > 0) {
          throw new XinfangError(
            'CLI_USAGE',
            `cases still need a previous key (${[...t.unknownKey, ...t.mismatched].join(', ')}): resolve them before retiring`,
          );
        }
        const old = await casesWithOldCodes(store, identityKeys.current.id);
        if (old.length > 0 && !opts.force) {
          throw new XinfangError(
            'CLI_USAGE',
            `${old.length} open case(s) hold query codes made with a previous key (${old.slice(0, 5).join(', ')}${old.length > 5 ? ', …' : ''}): issue new codes (engine.issueQueryCode) or pass --force`,
          );
        }
        const kept = retireIdentityKeys(path);
        io.out(
          `identity key ${kept.current.id} kept; previous keys retired (${t.rekeyed} cases re-keyed first)`,
        );
      } finally {
        await store.close();
      }
    });
}
