import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { legalBasisMap, parseBasis, renderLegalBasisPage } from '../../src/graph/index.js';
import { processSteps } from '../../src/graph/steps.js';
import { loadConfigOrThrow } from '../../src/loader/index.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const national = loadConfigOrThrow(`${root}configs/national.yaml`, { checkTemplates: false }).value;

describe('parseBasis', () => {
  it('reads single articles, lists, ranges and items', () => {
    expect(parseBasis('reg-2022 art. 34').citations).toEqual([{ instrument: 'reg-2022', article: 34 }]);
    expect(parseBasis('reg-2022 art. 22, 30').citations.map((c) => c.article)).toEqual([22, 30]);
    expect(parseBasis('reg-2022 art. 32-34').citations.map((c) => c.article)).toEqual([32, 33, 34]);
    expect(parseBasis('reg-2022 art. 39, 42-46').citations.map((c) => c.article)).toEqual([
      39, 42, 43, 44, 45, 46,
    ]);
    expect(parseBasis('reg-2022 art. 31 (4)').citations).toEqual([
      { instrument: 'reg-2022', article: 31, item: '(4)' },
    ]);
  });

  it('keeps the instrument across `and art.` and reads several instruments', () => {
    expect(parseBasis('reg-2022 art. 22 and art. 23').citations).toEqual([
      { instrument: 'reg-2022', article: 22 },
      { instrument: 'reg-2022', article: 23 },
    ]);
    expect(parseBasis('civil-code art. 201, reg-2022 art. 35').citations).toEqual([
      { instrument: 'civil-code', article: 201 },
      { instrument: 'reg-2022', article: 35 },
    ]);
  });

  it('takes a basis that starts with practice as practice, whatever it mentions', () => {
    expect(parseBasis("practice (a petition is the petitioner's own act, reg-2022 art. 17)")).toEqual({
      citations: [],
      practice: true,
    });
  });

  it('finds no article in text of another form, and does not expand an implausible range', () => {
    expect(parseBasis('Reg. 35').citations).toEqual([]);
    expect(parseBasis('reg-2022 art. 5-500').citations).toEqual([{ instrument: 'reg-2022', article: 5 }]);
  });
});

describe('legalBasisMap on national.yaml', () => {
  const map = legalBasisMap(national);
  const article = (n: number) => map.articles.find((a) => a.label === `reg-2022 art. ${n}`);

  it('lists each cited article once, in article order', () => {
    const numbers = map.articles.map((a) => a.article);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(map.articles.map((a) => a.label)).size).toBe(map.articles.length);
  });

  it('cites every procedural article, 18 to 47, and no other, each by a step, period, document or record', () => {
    // chapters three to six of the Regulations: who and how (18-21), registration and disposal
    // (22-25), order (26-27), handling (28-37), supervision and accountability (38-47)
    const through47 = Array.from({ length: 30 }, (_, i) => 18 + i);
    expect(map.articles.filter((a) => a.instrument === 'reg-2022').map((a) => a.article)).toEqual(through47);
    const citing = new Set(['state', 'transition', 'deadline', 'extension', 'document', 'ground', 'report']);
    for (const n of through47)
      expect(
        article(n)!.items.some((i) => citing.has(i.kind)),
        `art. ${n} is cited only by rules or delivery channels`,
      ).toBe(true);
  });

  it('names the article and item of every liability ground, and the annual report by art. 41', () => {
    const grounds = map.articles.flatMap((a) =>
      a.items.filter((i) => i.kind === 'ground').map((i) => `${a.article}${i.articleItem ?? ''} ${i.ref}`),
    );
    expect(grounds).toContain('44(3) no-acceptance-notice');
    expect(grounds).toContain('46(5) accusation-leaked');
    expect(grounds.filter((g) => g.startsWith('43 '))).toHaveLength(2);
    expect(article(41)!.items.map((i) => `${i.kind} ${i.ref}`)).toEqual(['report annual']);
    // each ground of the SUPERVISE and ACCOUNTABILITY payloads is one the map can place
    expect(new Set(grounds.map((g) => g.split(' ')[1])).size).toBe(
      Object.keys(national.supervision?.grounds ?? {}).length,
    );
  });

  it('maps art. 34 to the handling state, EXTEND, the deadline, its extension and the notice', () => {
    const refs = article(34)!.items.map((i) => `${i.kind} ${i.ref}`);
    expect(refs).toEqual(
      expect.arrayContaining([
        'state accepted',
        'transition accepted EXTEND',
        'deadline handling',
        'extension handling',
        'document extension-notice',
      ]),
    );
  });

  it('counts a range for every article in it', () => {
    // closed cites `reg-2022 art. 35-36`
    expect(article(35)!.items.some((i) => i.kind === 'state' && i.ref === 'closed')).toBe(true);
    expect(article(36)!.items.some((i) => i.kind === 'state' && i.ref === 'closed')).toBe(true);
  });

  it('accounts for every transition exactly where its basis says', () => {
    for (const step of processSteps(national)) {
      const basis = step.def.basis;
      const ref = step.to ? `${step.state} ${step.event} -> ${step.to}` : `${step.state} ${step.event}`;
      const places = [
        ...map.articles
          .filter((a) => a.items.some((i) => i.kind === 'transition' && i.ref === ref))
          .map((a) => a.label),
        ...(map.practice.some((i) => i.ref === ref) ? ['practice'] : []),
        ...(map.missing.some((i) => i.ref === ref) ? ['missing'] : []),
      ];
      if (!basis) expect(places).toEqual(['missing']);
      else if (/^practice/.test(basis)) expect(places).toEqual(['practice']);
      else expect(places.length, `${ref}: ${basis}`).toBeGreaterThan(0);
    }
  });

  it('keeps practice apart: withdrawal rests on practice, not on art. 17', () => {
    expect(map.practice.some((i) => i.kind === 'transition' && i.transition?.event === 'WITHDRAW')).toBe(
      true,
    );
    expect(article(17)?.items.some((i) => i.transition?.event === 'WITHDRAW') ?? false).toBe(false);
  });

  it('renders a page with a heading per article and a line per item', () => {
    const page = renderLegalBasisPage(national, map, {
      config: 'configs/national.yaml',
      command: 'xinfang basis configs/national.yaml --out docs/legal-basis.md',
    });
    expect(page).toContain('`xinfang basis configs/national.yaml --out docs/legal-basis.md`');
    expect(page).toContain('\n## reg-2022 art. 34\n\n');
    expect(page).toContain('- transition `EXTEND` in `accepted` 延长办理期限\n');
    expect(page).toContain('- transition `reviewWindow.expired` from `opinion-issued` to `closed`');
    expect(page).toContain('\n## Practice\n');
    expect(page.endsWith('\n')).toBe(true);
    expect(page).not.toMatch(/ {2}|\t/);
  });

  it('writes a command several states accept alike as one line naming them', () => {
    const source = { config: 'c.yaml', command: 'xinfang basis c.yaml' };
    const config = structuredClone(national);
    for (const s of Object.values(config.process.states)) {
      s.on = { ...(s.on ?? {}), INSPECT: { name: '检查', roles: ['supervisor'], basis: 'reg-2022 art. 38' } };
    }
    config.process.states.registered!.on!.SPOT_CHECK = { roles: ['supervisor'], basis: 'reg-2022 art. 38' };
    config.process.states.accepted!.on!.SPOT_CHECK = { roles: ['supervisor'], basis: 'reg-2022 art. 38' };
    const page = renderLegalBasisPage(config, legalBasisMap(config), source);
    expect(page.match(/INSPECT/g)).toHaveLength(1);
    expect(page).toContain('- transition `INSPECT` in every state 检查\n');
    expect(page).toContain('- transition `SPOT_CHECK` in `registered`, `accepted`\n');
    // the map itself keeps one item per state
    const art38 = legalBasisMap(config).articles.find((a) => a.label === 'reg-2022 art. 38')!;
    expect(art38.items.filter((i) => i.transition?.event === 'INSPECT')).toHaveLength(
      Object.keys(config.process.states).length,
    );
  });
});
