/**
 * The two pages in a real browser: Debian's Chromium driven by playwright-core (no browser
 * download). Screenshots go to `artifacts/http/` at the repository root.
 */

import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticTokenAuthenticator } from '../src/index.js';
import { call, DAY, type Harness, harness, letter, shaanxi } from './helpers.js';

const CHROMIUM = process.env.XINFANG_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = resolve(import.meta.dirname, '../../../artifacts/http');

let h: Harness;
let browser: Browser;
let url: string;
const codes: Record<string, string> = {};
const ids: string[] = [];

const command = (token: string, id: string, type: string, payload?: object) =>
  call(h, token, 'POST', `/cases/${id}/commands`, { type, ...(payload ? { payload } : {}) });

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: the page tests drive Debian's browser. Install it with ` +
        '`apt-get install -y chromium fonts-noto-cjk` (or point XINFANG_CHROMIUM at one)',
    );
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  h = await harness();
  // three letters received Monday 2026-03-02 at the county petition bureau
  for (let n = 1; n <= 3; n++) {
    const r = await call(h, 'token-window', 'POST', '/petitions', letter(n));
    ids.push(String(r.body.caseId));
    codes[String(r.body.caseId)] = String(r.body.queryCodes[0].code);
  }
  const [first] = ids as [string];
  // the first is transferred to the labour bureau on 03-03, accepted 03-04, answered 03-09 and
  // received 03-10: the rating window (Reg. 21) is open
  h.clock.advance(DAY);
  await command('token-window', first, 'TRANSFER', { unit: 'county-hrss' });
  h.clock.advance(DAY);
  await command('token-hrss', first, 'ACCEPT');
  h.clock.advance(5 * DAY);
  await command('token-hrss', first, 'OPINION', {
    outcome: 'supported',
    findings: '已责令支付',
    legalBasis: [{ law: '中华人民共和国劳动合同法', articles: '第八十五条' }],
  });
  h.clock.advance(DAY);
  await command('token-hrss', first, 'RECEIPT', { receivedAt: '2026-03-10', method: 'in-person' });
  // Reg. 22: the other two had to be transferred or handled within 15 days of 03-02, by 03-17;
  // on 03-19 at 09:00, when the clock ticks, that period has run out for both
  h.clock.advance(9 * DAY);
  const fired = await h.engine.tick();
  expect(fired.map((f) => [f.caseId, f.deadlineId]).sort()).toEqual([
    [ids[1], 'disposal'],
    [ids[2], 'disposal'],
  ]);
  // the county bureau's head takes the second in personal charge (包案, Reg. 18)
  await h.engine.send(
    ids[1] as string,
    { type: 'TAKE_CHARGE', payload: { leader: '周县长', position: '示范县人民政府副县长' } },
    { id: 'u-1002', role: 'head', unit: 'county-bureau' },
  );
  url = await h.service.listen({ port: 0, host: '127.0.0.1' });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe('the pages in Chromium', () => {
  it('shows the board with the right counts and colours, and each red case with its reasons', async () => {
    const page = await browser.newPage({ locale: 'zh-CN' });
    const res = await page.goto(`${url}/staff/board`);
    expect(page.url()).toBe(`${url}/staff/sign-in`);
    expect(res?.headers()['content-security-policy']).toContain("default-src 'none'");
    await page.getByLabel('登录令牌').fill('token-window');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${url}/staff/board`);
    expect(await page.locator('[data-total]').textContent()).toBe('3');
    const stages = page.getByRole('table', { name: '按环节统计' });
    const row = (name: string) => stages.getByRole('row', { name: new RegExp(`^${name}`) });
    expect(await row('登记').locator('td').allTextContents()).toEqual(['0', '0', '2']);
    expect(await row('处理意见').locator('td').allTextContents()).toEqual(['1', '0', '0']);
    const red = page.locator('li.red-case');
    expect(await red.count()).toBe(2);
    // the leader in charge is shown with the case they took, and with no other
    expect(await page.locator('li.red-case .lead-case').allTextContents()).toEqual([
      '包案领导：周县长（示范县人民政府副县长）',
    ]);
    expect(await red.first().locator('ul').first().textContent()).toBe(
      '登记转送交办期限已届满而未办结（发现于 2026-03-19）',
    );
    // what it owes in words: the documents any of which ends the period for this class of matter
    // (an opinion matter: not a diversion or a suggestion's answer), and the day it ran out
    expect(await red.first().locator('ul.owes').textContent()).toBe(
      '登记转送交办期限：出具受理告知书、转送/交办告知书、不予受理告知书、不再受理告知书之一（已逾期，原应于2026-03-17前）',
    );
    // the red mark is painted red, and named in words beside it
    const tag = stages.locator('th .c-red');
    expect(await tag.evaluate((e) => getComputedStyle(e).backgroundColor)).toBe('rgb(164, 22, 26)');
    expect(await tag.textContent()).toBeTruthy();
    await page.screenshot({ path: resolve(ARTIFACTS, 'board.png'), fullPage: true });
    // a red case's timeline and documents
    await red.first().getByRole('link').click();
    await expect.poll(() => page.locator('h2').allTextContents()).toEqual(['办理经过', '文书']);
    await page.close();
  });

  it('lets a petitioner sign in with the query code, see only their case, read the timeline and rate', async () => {
    const [first, second] = ids as [string, string];
    const page = await browser.newPage({ locale: 'zh-CN' });
    await page.goto(`${url}/my`);
    await page.getByLabel('信访事项编号').fill(first);
    await page.getByLabel('查询码').fill('0000-0000-0000-0000');
    await page.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('不正确');

    await page.getByLabel('信访事项编号').fill(first);
    await page.getByLabel('查询码').fill(codes[first] as string);
    await page.getByRole('button', { name: '查询' }).click();
    await page.waitForURL(`${url}/my`);
    const headings = await page.locator('section.case h2').allTextContents();
    expect(headings).toEqual([first]);
    expect(await page.content()).not.toContain(second);
    const steps = await page.locator('ol.timeline li').allTextContents();
    expect(steps.map((s) => s.replace(/^\S+ /, '').replace(/（[^（）]*）$/, ''))).toEqual([
      '信访事项已登记',
      '转送',
      '受理',
      '出具信访处理意见书',
      '送达（信访人收到处理意见书）',
    ]);
    expect(await page.locator('ul.documents li').count()).toBeGreaterThan(0);
    await page.screenshot({ path: resolve(ARTIFACTS, 'petitioner.png'), fullPage: true });

    await page.getByLabel('对办理结果的评价').selectOption('basically-satisfied');
    await page.getByRole('button', { name: '提交评价' }).click();
    await page.waitForURL(`${url}/my`);
    // the window closed with the rating: no form any more
    expect(await page.getByRole('button', { name: '提交评价' }).count()).toBe(0);
    const events = (await call(h, 'token-window', 'GET', `/cases/${first}/history`)).body.events;
    expect(events.at(-1)).toMatchObject({
      type: 'RATE',
      payload: { command: { rating: 'basically-satisfied' } },
    });
    // the timeline says which rating was given
    const rated = await page.locator('ol.timeline li').allTextContents();
    expect(rated.at(-1)).toMatch(/信访人评价：基本满意/);
    expect(rated.at(-1)).not.toMatch(/不满意/);
    await page.screenshot({ path: resolve(ARTIFACTS, 'petitioner-rated.png'), fullPage: true });
    await page.close();
  });

  it('refuses a form posted without the CSRF token', async () => {
    const [first] = ids as [string];
    const page = await browser.newPage();
    await page.goto(`${url}/my`);
    // the page's own policy keeps its scripts from posting anywhere (connect-src falls to 'none')
    // a post carrying the page's cookies but a forged token is refused
    const forged = await page.request.post(`${url}/my/sign-in`, {
      form: { caseId: first, code: codes[first] as string, _csrf: 'forged' },
    });
    expect(forged.status()).toBe(403);
    expect(forged.headers()['set-cookie'] ?? '').not.toContain('xf_session');
    await page.close();
  });
});

describe("a Shaanxi case's register on the staff case page", () => {
  const users = {
    'token-ca-bureau': {
      id: 'ca-acc-1',
      name: '陈登记',
      roles: ['registrar', 'acceptor'],
      unit: 'ca-bureau',
    },
    'token-ca-hrss': { id: 'ca-han-2', name: '周经办', roles: ['acceptor', 'handler'], unit: 'ca-hrss' },
  };
  let sx: Harness;
  let sxUrl: string;
  let caseId: string;

  beforeAll(async () => {
    sx = await harness({ loaded: shaanxi(), authenticators: [staticTokenAuthenticator(users)] });
    const bureau = { id: 'ca-acc-1', role: 'acceptor', unit: 'ca-bureau' };
    const hrss = { id: 'ca-han-2', role: 'handler', unit: 'ca-hrss' };
    // a letter to Chang'an District's petition bureau on Monday 2026-03-02, transferred the same
    // day to the district's labour bureau, accepted on 03-04, answered on 03-09
    ({ caseId } = await sx.engine.submit(
      letter(9, { receivingUnit: 'ca-bureau', respondentUnit: 'ca-hrss' }),
      { id: 'ca-reg-1', role: 'registrar', unit: 'ca-bureau' },
      { petitionerId: 'sn-p-9' },
    ));
    await sx.engine.send(caseId, { type: 'TRANSFER', payload: { unit: 'ca-hrss' } }, bureau);
    sx.clock.advance(2 * DAY);
    await sx.engine.send(caseId, { type: 'ACCEPT' }, { ...hrss, role: 'acceptor' });
    sx.clock.advance(5 * DAY);
    await sx.engine.send(
      caseId,
      {
        type: 'OPINION',
        payload: {
          outcome: 'supported',
          findings: '已责令支付',
          legalBasis: [{ law: '保障农民工工资支付条例', articles: '第三条' }],
        },
      },
      hrss,
    );
    sx.clock.advance(DAY);
    await sx.engine.send(caseId, { type: 'RECEIPT', payload: { receivedAt: '2026-03-10' } }, hrss);
    sx.clock.advance(DAY);
    await sx.engine.send(
      caseId,
      { type: 'RATE', payload: { rating: 'satisfied' } },
      { id: 'sn-p-9', role: 'petitioner' },
    );
    sxUrl = await sx.service.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await sx?.close();
  });

  it('shows the 7 sections with the values the events filled', async () => {
    const page = await browser.newPage({ locale: 'zh-CN' });
    await page.goto(`${sxUrl}/staff/sign-in`);
    await page.getByLabel('登录令牌').fill('token-ca-hrss');
    await page.getByRole('button', { name: '登录' }).click();
    await page.waitForURL(`${sxUrl}/staff/board`);
    await page.goto(`${sxUrl}/staff/cases/${caseId}`);
    expect(await page.locator('h2').allTextContents()).toEqual(['办理经过', '文书', '登记表']);
    const captions = await page.locator('table.register caption').allTextContents();
    expect(captions.map((c) => c.replace(/（.*$/, ''))).toEqual([
      '登记',
      '受理',
      '办理',
      '程序终结',
      '秩序维护',
      '监督追责',
      '质量评价',
    ]);
    const value = async (section: string, label: string) =>
      page
        .locator(`table.register[data-section="${section}"]`)
        .getByRole('row', { name: new RegExp(`^${label}`) })
        .locator('td')
        .textContent();
    expect(await value('acceptance', '受理日期')).toBe('2026-03-04');
    expect(await value('acceptance', '受理机关')).toBe('西安市长安区人力资源和社会保障局');
    expect(await value('acceptance', '受理告知书文号')).toBe('长人社〔2026〕1号');
    expect(await value('handling', '处理意见 ')).toBe('支持');
    expect(await value('handling', '信访处理意见书文号')).toBe('长人社〔2026〕2号');
    expect(await value('evaluation', '信访人评价')).toBe('满意');
    expect(await value('evaluation', '评价日期')).toBe('2026-03-11');
    expect(await value('supervision', '督办次数')).toBe('—');
    expect(await page.locator('table.register[data-section="supervision"] caption').textContent()).toBe(
      '监督追责（已填 0/15）',
    );
    expect(await page.locator('.note').textContent()).toContain('非本省正式表式');
    await page.screenshot({ path: resolve(ARTIFACTS, 'register.png'), fullPage: true });
    await page.close();
  });
});
