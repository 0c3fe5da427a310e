/** Seals, numbers and signed checkpoints. */

import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  contentHash,
  createEd25519Sealer,
  formatDocumentNumber,
  nextDocumentNumber,
  type SealedDocument,
  sealDocument,
  signCheckpoint,
  verifyCheckpoint,
  verifyDocument,
} from '../../src/documents/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import type { CaseStore } from '../../src/store/types.js';
import { A, setup } from '../engine/helpers.js';
import { national, testSealer } from './helpers.js';

const record = {
  caseId: 'XF-2026-000001',
  documentId: 'acceptance-notice',
  name: '受理告知书',
  number: '示县信〔2026〕1号',
  issuedBy: { unit: 'county-bureau', name: '示范县信访局' },
  date: '2026-03-02',
  issuedAt: '2026-03-02T01:00:00.000Z',
  basis: 'reg-2022 art. 23',
  recipient: { id: 'p-1', name: '张三', kind: 'petitioner' },
  text: '示范县信访局\n受理告知书\n示县信〔2026〕1号\n\n张三：\n    本机关决定予以受理。\n',
};

describe('sealDocument / verifyDocument', () => {
  it('verifies a sealed document, and fails it when one character changes anywhere', async () => {
    const { sealer, publicKeyPem } = testSealer();
    const sealed = await sealDocument(record, sealer);
    expect(sealed.document.contentHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await verifyDocument(sealed, publicKeyPem)).toEqual({ ok: true, problems: [] });
    expect(await verifyDocument(JSON.parse(JSON.stringify(sealed)), sealer)).toEqual({
      ok: true,
      problems: [],
    });

    const text = structuredClone(sealed);
    text.document.text = text.document.text.replace('受理。', '受埋。');
    expect((await verifyDocument(text, publicKeyPem)).problems.map((p) => p.code)).toEqual([
      'CONTENT_HASH',
      'SIGNATURE',
    ]);
    // a forger who also fixes the hash still fails the signature
    const rehashed: SealedDocument = structuredClone(text);
    rehashed.document.contentHash = contentHash(rehashed.document.text);
    expect((await verifyDocument(rehashed, publicKeyPem)).problems.map((p) => p.code)).toEqual(['SIGNATURE']);
    const number = structuredClone(sealed);
    number.document.number = '示县信〔2026〕7号';
    expect((await verifyDocument(number, publicKeyPem)).ok).toBe(false);
  });

  it('fails under another key, names a key mismatch, and refuses a non-document', async () => {
    const { sealer } = testSealer('seal-2026');
    const other = testSealer('seal-2027');
    const sealed = await sealDocument(record, sealer);
    expect((await verifyDocument(sealed, other.publicKeyPem)).problems.map((p) => p.code)).toEqual([
      'SIGNATURE',
    ]);
    expect((await verifyDocument(sealed, other.sealer)).problems.map((p) => p.code)).toEqual([
      'KEY_ID',
      'SIGNATURE',
    ]);
    expect((await verifyDocument({ hello: 1 }, sealer)).problems.map((p) => p.code)).toEqual(['FORMAT']);
  });

  it('never generates a key: a sealer needs one, and a verify-only sealer cannot sign', async () => {
    expect(() => createEd25519Sealer({})).toThrow(expect.objectContaining({ code: 'SEAL_KEY_MISSING' }));
    const { publicKey } = generateKeyPairSync('ed25519');
    const verifyOnly = createEd25519Sealer({ publicKey });
    await expect(sealDocument(record, verifyOnly)).rejects.toMatchObject({ code: 'SEAL_KEY_MISSING' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(() => createEd25519Sealer({ privateKey: rsa.privateKey })).toThrow(/not Ed25519/);
  });
});

describe('document numbers', () => {
  it('follows the pattern with a per-body, per-year sequence that is never reused', async () => {
    expect(
      formatDocumentNumber('{prefix}〔{year}〕{seq:3}号', { prefix: '京信', year: '2026', seq: 7 }),
    ).toBe('京信〔2026〕007号');
    const store = createMemoryStore();
    const config = national().value;
    const n = async (unit: string, date: string) =>
      (await nextDocumentNumber(store, config, unit, date)).number;
    expect(await n('county-bureau', '2026-03-02')).toBe('示县信〔2026〕1号');
    expect(await n('county-bureau', '2026-12-31')).toBe('示县信〔2026〕2号');
    expect(await n('county-hrss', '2026-03-02')).toBe('示县人社〔2026〕1号');
    expect(await n('county-bureau', '2027-01-01')).toBe('示县信〔2027〕1号');
    // a unit without its own prefix uses the jurisdiction's
    expect(await n('city-discipline', '2026-03-02')).toBe('信〔2026〕1号');
  });
});

describe('signed checkpoints', () => {
  it('detects a log rewritten after the checkpoint, even with a consistent new chain', async () => {
    const { engine, store, submit } = setup();
    const { sealer, publicKeyPem } = testSealer();
    const a = (await submit()).caseId;
    const b = (await submit()).caseId;
    await engine.send(a, { type: 'ACCEPT' }, A.acceptor);
    const checkpoint = await signCheckpoint(store, sealer, { at: '2026-03-02T02:00:00.000Z' });
    expect(checkpoint.entries.map((e) => e.caseId)).toEqual([a, b]);
    expect(await verifyCheckpoint(checkpoint, store, publicKeyPem)).toEqual({ ok: true, problems: [] });

    // the case moves on: still fine, the checkpointed version is checked in the log
    await engine.send(
      a,
      {
        type: 'OPINION',
        payload: {
          outcome: 'supported',
          findings: '经调查核实，情况属实。',
          legalBasis: [{ law: '信访工作条例', articles: '第三十二条' }],
        },
      },
      A.handlerBureau,
    );
    expect((await verifyCheckpoint(checkpoint, store, publicKeyPem)).ok).toBe(true);

    // someone with database access rewrites case a from scratch: a fresh chain, other hashes
    const forged = createMemoryStore();
    for (const c of [a, b]) {
      const events = await store.events(c);
      const projection = (await store.getCase(c)) as NonNullable<Awaited<ReturnType<CaseStore['getCase']>>>;
      const edited = events.map((e) =>
        c === a && e.seq === 1 ? { ...e, at: '2026-03-01T01:00:00.000Z' } : e,
      );
      await forged.append({
        caseId: c,
        expectedVersion: 0,
        events: edited,
        projection: { ...projection, headHash: c === a ? 'f'.repeat(64) : projection.headHash },
      });
    }
    const tampered = {
      getCase: forged.getCase.bind(forged),
      events: async (c: string, from?: number) =>
        (await forged.events(c, from)).map((e) => (c === a ? { ...e, hash: `x${e.hash.slice(1)}` } : e)),
    };
    const r = await verifyCheckpoint(checkpoint, tampered, publicKeyPem);
    expect(r.problems).toEqual([expect.objectContaining({ code: 'LOG_REWRITTEN', caseId: a })]);

    // heads given as a list: same version, different hash; a missing case; a truncated one
    const heads = checkpoint.entries.map((e) => ({ ...e }));
    const list = [{ ...(heads[0] as (typeof heads)[0]), version: 1 }];
    expect((await verifyCheckpoint(checkpoint, list, publicKeyPem)).problems.map((p) => p.code)).toEqual([
      'LOG_TRUNCATED',
      'CASE_MISSING',
    ]);
    // and the checkpoint itself cannot be edited to match
    const edited = structuredClone(checkpoint);
    (edited.entries[0] as { headHash: string }).headHash = 'f'.repeat(64);
    expect((await verifyCheckpoint(edited, store, publicKeyPem)).problems.map((p) => p.code)).toContain(
      'SIGNATURE',
    );
  });
});
