/** The strict JSON parser and the exact shape of a sealed-document file. */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStrictJson, StrictJsonError } from '../../src/base/strict-json.js';
import { parseSealedDocument } from '../../src/documents/sealed-file.js';

const runs = Number(process.env.XINFANG_PROPERTY_RUNS ?? 200);

function problem(text: string, maxDepth?: number): string | undefined {
  try {
    parseStrictJson(text, maxDepth);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(StrictJsonError);
    return (e as StrictJsonError).problem;
  }
}

describe('parseStrictJson', () => {
  it('reads every JSON text JSON.parse reads the same way, when no key repeats', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect(parseStrictJson(text, 1_000)).toEqual(JSON.parse(text));
      }),
      { numRuns: runs },
    );
  });

  it('refuses what RFC 8259 does not allow', () => {
    for (const text of [
      '',
      '{',
      '[1,]',
      '{"a":1,}',
      '{a:1}',
      "'x'",
      '01',
      '1.',
      '.5',
      'NaN',
      '"\\x"',
      '"a\nb"',
      '[1 2]',
      '{} {}',
      'tru',
    ]) {
      expect(problem(text), text).toBe('syntax');
    }
  });

  it('refuses a key repeated in one object, at the second, and keeps keys of other objects apart', () => {
    expect(problem('{"a":1,"b":{"a":2}}')).toBeUndefined();
    const e = (() => {
      try {
        parseStrictJson('{\n  "text": "x",\n  "text": "y"\n}');
      } catch (x) {
        return x as StrictJsonError;
      }
    })();
    expect([e?.problem, e?.key, e?.line, e?.column]).toEqual(['duplicate-key', 'text', 3, 3]);
    // an escape spelling the same key is the same key
    expect(problem('{"text":1,"t\\u0065xt":2}')).toBe('duplicate-key');
  });

  it('keeps __proto__ as data', () => {
    const v = parseStrictJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    expect(Object.hasOwn(v, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses nesting past its limit by depth, not by a stack overflow (100,000 levels)', () => {
    expect(problem(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBe('too-deep');
    expect(problem('[[1]]', 2)).toBeUndefined();
    expect(problem('[[[1]]]', 2)).toBe('too-deep');
  });
});

describe('parseSealedDocument', () => {
  const sealed = {
    format: 'xinfang.sealed-document.v1',
    document: {
      caseId: 'XF-1',
      documentId: 'handling-opinion',
      name: '信访处理意见书',
      number: '〔2026〕3号',
      issuedBy: { unit: 'u', name: 'U' },
      date: '2026-03-12',
      issuedAt: '2026-03-12T01:00:00.000Z',
      basis: 'reg-2022 art. 32',
      recipient: { id: 'p-1', name: '张三', kind: 'petitioner' },
      event: { type: 'OPINION', seq: 4 },
      text: '正文',
      contentHash: 'sha256:00',
    },
    seal: { algorithm: 'Ed25519', keyId: 'k', canonicalization: 'RFC8785', signature: 'AA==' },
  };

  it('takes exactly the sealed shape, with or without the optional event', () => {
    expect(parseSealedDocument(JSON.stringify(sealed))).toEqual(sealed);
    const { event: _, ...document } = sealed.document;
    expect(parseSealedDocument(JSON.stringify({ ...sealed, document }))).toEqual({ ...sealed, document });
  });

  it('names the field that is extra, missing or of the wrong type', () => {
    const cases: [unknown, string, string][] = [
      [{ ...sealed, extra: 1 }, '/extra', 'unknown-field'],
      [
        {
          ...sealed,
          document: { ...sealed.document, recipient: { ...sealed.document.recipient, phone: '1' } },
        },
        '/document/recipient/phone',
        'unknown-field',
      ],
      [{ ...sealed, seal: { ...sealed.seal, signature: 5 } }, '/seal/signature', 'wrong-type'],
      [
        { ...sealed, document: { ...sealed.document, event: { type: 'X', seq: 1.5 } } },
        '/document/event/seq',
        'wrong-type',
      ],
      [{ format: sealed.format, document: sealed.document }, '/seal', 'missing-field'],
      [[sealed], '', 'wrong-type'],
    ];
    for (const [value, pointer, kind] of cases) {
      expect(() => parseSealedDocument(JSON.stringify(value)), pointer).toThrow(
        expect.objectContaining({ code: 'DOCUMENT_SHAPE_INVALID', details: { pointer, problem: kind } }),
      );
    }
  });

  it('refuses a repeated key with DOCUMENT_JSON_INVALID', () => {
    const text = JSON.stringify(sealed).replace('"text":', '"text":"假","text":');
    expect(() => parseSealedDocument(text)).toThrow(
      expect.objectContaining({
        code: 'DOCUMENT_JSON_INVALID',
        details: expect.objectContaining({ problem: 'duplicate-key' }),
      }),
    );
  });
});
