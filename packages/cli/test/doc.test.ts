import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEd25519Sealer, sealDocument } from '@xinfang/core';
import { describe, expect, it } from 'vitest';
import { bufferIo, runCli } from '../src/index.js';

async function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'xinfang-doc-'));
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const sealed = await sealDocument(
    {
      caseId: 'XF-2026-000001',
      documentId: 'handling-opinion',
      name: '信访处理意见书',
      number: '示县人社〔2026〕3号',
      issuedBy: { unit: 'county-hrss', name: '示范县人力资源和社会保障局' },
      date: '2026-03-12',
      issuedAt: '2026-03-12T01:00:00.000Z',
      basis: 'reg-2022 art. 32',
      recipient: { id: 'p-1', name: '张三', kind: 'petitioner' },
      text: '张三：\n    本机关对你（单位）的信访诉求作出如下处理：诉求合理，予以支持。\n',
    },
    createEd25519Sealer({ privateKey, keyId: 'county-hrss-2026' }),
  );
  writeFileSync(join(dir, 'key.pem'), publicKey.export({ format: 'pem', type: 'spki' }));
  writeFileSync(join(dir, 'opinion.json'), JSON.stringify(sealed, null, 2));
  return { dir, sealed };
}

async function verify(dir: string, file: string) {
  const io = bufferIo(dir);
  const code = await runCli(['doc', 'verify', file, '--key', 'key.pem'], io);
  return { code, out: io.stdout(), err: io.stderr() };
}

describe('xinfang doc verify', () => {
  it('accepts an untouched sealed document', async () => {
    const { dir } = await fixture();
    const r = await verify(dir, 'opinion.json');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(
      'valid: 信访处理意见书 示县人社〔2026〕3号, case XF-2026-000001, issued by 示范县人力资源和社会保障局 on 2026-03-12\n' +
        'sealed with key county-hrss-2026\n',
    );
  });

  it('refuses a document altered by one character, naming the problems', async () => {
    const { dir, sealed } = await fixture();
    const altered = structuredClone(sealed);
    altered.document.text = altered.document.text
      .replace('予以支持', '不予支持')
      .replace('不予支持', '予以支待');
    writeFileSync(join(dir, 'altered.json'), JSON.stringify(altered));
    const r = await verify(dir, 'altered.json');
    expect(r.code).toBe(1);
    expect(r.err).toContain('invalid: altered.json');
    expect(r.err).toContain('CONTENT_HASH');
    expect(r.err).toContain('SIGNATURE');

    const date = structuredClone(sealed);
    date.document.date = '2026-03-13';
    writeFileSync(join(dir, 'date.json'), JSON.stringify(date));
    expect((await verify(dir, 'date.json')).code).toBe(1);
  });

  it('reports a file that is not a sealed document, or a missing key', async () => {
    const { dir } = await fixture();
    writeFileSync(join(dir, 'junk.json'), '{"hello":');
    expect(await verify(dir, 'junk.json')).toMatchObject({
      code: 1,
      err: expect.stringContaining('DOCUMENT_JSON_INVALID'),
    });
    writeFileSync(join(dir, 'other.json'), '{"hello":1}');
    expect(await verify(dir, 'other.json')).toMatchObject({
      code: 1,
      err: expect.stringContaining('DOCUMENT_SHAPE_INVALID: /hello is not a field of a sealed document'),
    });
    const io = bufferIo(dir);
    expect(await runCli(['doc', 'verify', 'opinion.json', '--key', 'nope.pem'], io)).toBe(2);
    expect(io.stderr()).toMatch(/^error CLI_USAGE: cannot read public key/);
  });

  it('refuses a file with a repeated key: the seal covers one "text", a viewer might show the other', async () => {
    const { dir, sealed } = await fixture();
    const json = JSON.stringify(sealed, null, 2);
    // a second "text" before the signed one: JSON.parse keeps the last, which still verifies
    const forged = json.replace('"text":', '"text": "本机关决定不予支持。",\n    "text":');
    expect(JSON.parse(forged).document.text).toBe(sealed.document.text);
    writeFileSync(join(dir, 'twice.json'), forged);
    const r = await verify(dir, 'twice.json');
    expect(r.code).toBe(1);
    expect(r.err).toContain('DOCUMENT_JSON_INVALID');
    expect(r.err).toContain('the key "text" appears twice');
    expect(r.out).toBe('');
  });

  it('refuses a field outside the signed shape, at the top and inside the document', async () => {
    const { dir, sealed } = await fixture();
    for (const [name, extra] of [
      ['top', { ...sealed, note: '经复核，予以支持' }],
      ['inner', { ...sealed, document: { ...sealed.document, remedy: '可提起行政诉讼' } }],
      ['seal', { ...sealed, seal: { ...sealed.seal, approvedBy: 'head' } }],
    ] as const) {
      writeFileSync(join(dir, `${name}.json`), JSON.stringify(extra));
      const r = await verify(dir, `${name}.json`);
      expect(r.code, name).toBe(1);
      expect(r.err, name).toContain('DOCUMENT_SHAPE_INVALID');
    }
    const missing = structuredClone(sealed) as unknown as { document: Record<string, unknown> };
    delete missing.document.contentHash;
    writeFileSync(join(dir, 'missing.json'), JSON.stringify(missing));
    expect((await verify(dir, 'missing.json')).err).toContain('/document/contentHash is missing');
  });

  it('refuses a FIFO or a directory instead of reading it', async () => {
    const { dir } = await fixture();
    execFileSync('mkfifo', [join(dir, 'pipe.json')]);
    const io = bufferIo(dir);
    expect(await runCli(['doc', 'verify', 'pipe.json', '--key', 'key.pem'], io)).toBe(2);
    expect(io.stderr()).toContain('not a regular file');
  });
});
