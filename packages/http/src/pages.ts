/**
 * The two server-rendered pages, working without a front-end build: the staff three-colour board
 * (`/staff/board`, a case's timeline and documents at `/staff/cases/:id`) and the petitioner's
 * page (`/my`: sign in with the query code, my cases, progress in plain words, documents
 * received, the rating form while its window is open). Staff sign on as for the API (the
 * embedder's gateway adds the bearer token); forms post with CSRF tokens, sessions are HTTP-only
 * SameSite cookies, and every page carries a strict content security policy.
 */

import {
  type CaseRegister,
  type EventView,
  isXinfangError,
  registerOf,
  type StageBoardCase,
} from '@xinfang/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { countBoard } from './board.js';
import { actorOf, principalOf, type RouteContext } from './context.js';
import { HttpError, problemOf } from './errors.js';
import { COLOUR_NAMES, colourTag, esc, layout, PAGE_CSP, SITE_CSS, STAGE_NAMES } from './html.js';
import {
  actorOn,
  checkCsrf,
  myCases,
  type Petitioner,
  petitionerOf,
  RATE,
  RATINGS,
  signIn,
  timelineOf,
} from './petitioner.js';
import { CSRF_COOKIE, cookiesOf, SESSION_COOKIE, STAFF_COOKIE, sameToken } from './session.js';

function send(reply: FastifyReply, status: number, title: string, body: string) {
  const base = reply.server.prefix;
  return reply
    .code(status)
    .header('content-security-policy', PAGE_CSP)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(layout(title, body, base));
}

/** A refusal as a page: the engine's message, never internals. */
function failPage(reply: FastifyReply, e: unknown, title: string) {
  const p = problemOf(e);
  if (p.status >= 500) reply.log.error({ err: e }, 'page failed');
  return send(
    reply,
    p.status,
    title,
    `<p class="error" role="alert">${esc(p.status >= 500 ? '服务暂时不可用，请稍后再试。' : p.detail)}</p>`,
  );
}

function countsTable(
  caption: string,
  head: string,
  rows: [string, Record<string, number>][],
  labels: Record<string, string>,
) {
  const cols = ['green', 'blue', 'red'];
  const th = cols.map((c) => `<th scope="col">${colourTag(c, labels[c])}</th>`).join('');
  const body = rows
    .map(
      ([name, n]) =>
        `<tr><th scope="row">${esc(name)}</th>${cols.map((c) => `<td data-colour="${c}">${n[c] ?? 0}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table><caption>${esc(caption)}</caption><thead><tr><th scope="col">${esc(head)}</th>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

function redCase(ctx: RouteContext, c: StageBoardCase): string {
  const id = encodeURIComponent(c.caseId);
  const reason = (r: StageBoardCase['reasons'][number]) => {
    const name = r.ref !== undefined ? ctx.config.deadlines[r.ref]?.name : undefined;
    return name ? `${name}已届满而未办结（发现于 ${r.at.slice(0, 10)}）` : r.message;
  };
  const reasons = c.reasons.map((r) => `<li>${esc(reason(r))}</li>`).join('');
  // what ends the period (its documents, else the period's own name) and by when
  const owes =
    c.owes
      .map((o) => {
        const docs = o.documents.length > 1 ? `${o.documents.join('、')}之一` : o.documents[0];
        const what = docs ? `${o.deadlineName}：出具${docs}` : o.deadlineName;
        const when = o.dueDate ? `（${o.overdue ? '已逾期，原应于' : '应于'}${esc(o.dueDate)}前）` : '';
        return `<li>${esc(what)}${when}</li>`;
      })
      .join('') || '<li>无</li>';
  // the leader in personal charge of a hard case (包案, Reg. 18) is shown with it
  const lead = c.leadCase
    ? `<p class="lead-case">包案领导：${esc(c.leadCase.leader)}${c.leadCase.position ? `（${esc(c.leadCase.position)}）` : ''}</p>`
    : '';
  return `<li class="red-case"><a href="staff/cases/${id}">${esc(c.caseId)}</a>（${esc(c.stateName)}，${esc(c.unitName ?? c.unit ?? '')}）
${lead}<p>原因：</p><ul>${reasons}</ul><p>尚欠：</p><ul class="owes">${owes}</ul></li>`;
}

/**
 * The member of staff of a page request: the bearer token their gateway sends, or the one they
 * signed in with on `/staff/sign-in` (kept in a sealed cookie, honoured only by these read-only pages).
 */
async function staffOf(ctx: RouteContext, req: FastifyRequest) {
  const direct = await principalOf(ctx, req);
  if (direct) return direct;
  const bearer = await ctx.sessions.openBearer(cookiesOf(req.headers.cookie)[STAFF_COOKIE]);
  if (!bearer) return undefined;
  const headers = { ...req.headers, authorization: `Bearer ${bearer}` };
  return principalOf(ctx, { ...req, headers, socket: req.socket } as FastifyRequest);
}

function staffSignInForm(csrf: string, error?: string): string {
  return `${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}<form method="post" action="staff/sign-in">
<input type="hidden" name="_csrf" value="${esc(csrf)}">
<label for="token">登录令牌</label><input id="token" name="token" type="password" required autocomplete="off">
<button type="submit">登录</button>
</form>`;
}

async function staffSignInPage(ctx: RouteContext, reply: FastifyReply, status = 200, error?: string) {
  const token = ctx.sessions.newToken();
  reply.header('set-cookie', ctx.sessions.cookie(CSRF_COOKIE, token));
  return send(reply, status, '工作人员登录', staffSignInForm(token, error));
}

async function staffSignInPost(ctx: RouteContext, req: FastifyRequest<{ Body: Form }>, reply: FastifyReply) {
  const cookies = cookiesOf(req.headers.cookie);
  const body = req.body ?? {};
  if (!sameToken(body._csrf, cookies[CSRF_COOKIE]))
    return staffSignInPage(ctx, reply, 403, '页面已过期，请重新登录。');
  const token = String(body.token ?? '');
  const headers = { ...req.headers, authorization: `Bearer ${token}` };
  const p = await principalOf(ctx, { ...req, headers, socket: req.socket } as FastifyRequest);
  if (!p || p.roles.includes(ctx.petitionerRole)) return staffSignInPage(ctx, reply, 401, '令牌无效。');
  reply.header('set-cookie', ctx.sessions.cookie(STAFF_COOKIE, await ctx.sessions.sealBearer(token)));
  return reply.code(303).header('location', `${ctx.base}/staff/board`).send();
}

async function boardPage(ctx: RouteContext, req: FastifyRequest, reply: FastifyReply) {
  const title = '信访事项三色办理看板';
  try {
    const p = await staffOf(ctx, req);
    if (!p || p.roles.includes(ctx.petitionerRole))
      return reply.code(303).header('location', `${ctx.base}/staff/sign-in`).send();
    const counts = await countBoard(ctx.engine, ctx.config, {}, actorOf(p));
    const labels = { ...COLOUR_NAMES, ...ctx.config.board?.labels };
    const stages = Object.entries(counts.byStage).map(([s, n]): [string, Record<string, number>] => [
      STAGE_NAMES[s] ?? s,
      n,
    ]);
    const units = Object.entries(counts.byUnit).map(([u, n]): [string, Record<string, number>] => [
      ctx.config.units?.[u]?.name ?? (u || '未定'),
      n,
    ]);
    const body = `<p>共 <strong data-total>${counts.total.green + counts.total.blue + counts.total.red}</strong> 件：${colourTag('green', labels.green)} ${counts.total.green} 件，${colourTag('blue', labels.blue)} ${counts.total.blue} 件，${colourTag('red', labels.red)} ${counts.total.red} 件。</p>
${countsTable('按环节统计', '环节', stages, labels)}
${countsTable('按责任单位统计', '责任单位', units, labels)}
<h2>红色事项</h2>
<ul class="red-cases">${counts.red.map((c) => redCase(ctx, c)).join('\n') || '<li>无</li>'}</ul>`;
    return send(reply, 200, title, body);
  } catch (e) {
    return failPage(reply, e, title);
  }
}

async function staffCasePage(
  ctx: RouteContext,
  req: FastifyRequest<{ Params: { id: string } }>,
  reply: FastifyReply,
) {
  const title = `信访事项 ${req.params.id}`;
  try {
    const p = await staffOf(ctx, req);
    if (!p) return reply.code(303).header('location', `${ctx.base}/staff/sign-in`).send();
    const actor = actorOf(p);
    const view = await ctx.engine.get(req.params.id, actor);
    const history = await ctx.engine.history(req.params.id, actor);
    const timeline = timelineOf(ctx.config, view, history);
    const docs = await ctx.engine.documents(req.params.id, actor);
    return send(
      reply,
      200,
      title,
      `<p>当前：${esc(ctx.config.process.states[view.state]?.name ?? view.state)} ${colourTag(view.colour)}</p>
<h2>办理经过</h2>${timelineList(timeline)}<h2>文书</h2>${documentList(docs)}${registerPart(ctx, history)}<p><a href="staff/board">返回看板</a></p>`,
    );
  } catch (e) {
    return failPage(reply, e, title);
  }
}

/**
 * The case's register, section by section, as the events the viewer may read filled it (a
 * personal field redacted for the viewer's role is removed from their history, so it shows
 * empty); nothing for a config without form sections.
 */
function registerPart(ctx: RouteContext, history: EventView[]): string {
  if (Object.keys(ctx.config.form.sections ?? {}).length === 0) return '';
  const r: CaseRegister = registerOf(ctx.config, history);
  const illustrative = r.sections.some((s) => s.fields.some((f) => f.illustrative));
  const note = illustrative ? '<p class="note">标注“示例”的字段为本系统示例，非本省正式表式。</p>' : '';
  const sections = r.sections.map((s) => {
    const rows = s.fields
      .map(
        (f) =>
          `<tr${f.value === null ? ' class="empty"' : ''}><th scope="row">${esc(f.name)}${f.illustrative ? ' <small>示例</small>' : ''}</th><td>${f.value === null ? '—' : esc(f.text)}</td></tr>`,
      )
      .join('');
    return `<table class="register" data-section="${esc(s.section)}"><caption>${esc(s.name)}（已填 ${s.filled}/${s.total}）</caption><tbody>${rows}</tbody></table>`;
  });
  return `<h2>登记表</h2><p>已填 <strong data-register-filled>${r.filled}</strong>/${r.total} 项。</p>${note}${sections.join('\n')}`;
}

function timelineList(entries: { at: string; text: string; stateName: string }[]): string {
  return `<ol class="timeline">${entries.map((t) => `<li><time datetime="${esc(t.at)}">${esc(t.at.slice(0, 10))}</time> ${esc(t.text)}（${esc(t.stateName)}）</li>`).join('')}</ol>`;
}

function documentList(docs: { name: string; number?: string; issuedAt: string }[]): string {
  if (docs.length === 0) return '<p>尚无文书。</p>';
  return `<ul class="documents">${docs.map((d) => `<li>${esc(d.name)}${d.number ? ` ${esc(d.number)}` : ''}（${esc(d.issuedAt.slice(0, 10))}）</li>`).join('')}</ul>`;
}

function signInForm(csrf: string, error?: string): string {
  return `${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}<p>请输入告知书上的信访事项编号和查询码。</p>
<form method="post" action="my/sign-in">
<input type="hidden" name="_csrf" value="${esc(csrf)}">
<label for="caseId">信访事项编号</label><input id="caseId" name="caseId" required autocomplete="off">
<label for="code">查询码</label><input id="code" name="code" required autocomplete="off">
<button type="submit">查询</button>
</form>`;
}

async function caseSection(
  ctx: RouteContext,
  who: Petitioner,
  caseId: string,
  csrf: string,
): Promise<string> {
  const actor = actorOn(ctx, who, caseId);
  const view = await ctx.engine.get(caseId, actor);
  const timeline = timelineOf(ctx.config, view, await ctx.engine.history(caseId, actor));
  const docs = await ctx.engine.documents(caseId, actor);
  const canRate = (await ctx.engine.allowedCommands(caseId, actor)).includes(RATE);
  const id = esc(caseId);
  const form = canRate
    ? `<form method="post" action="my/cases/${encodeURIComponent(caseId)}/rating"><input type="hidden" name="_csrf" value="${esc(csrf)}">
<label for="rating-${id}">对办理结果的评价</label><select id="rating-${id}" name="rating">${RATINGS.map(([v, l]) => `<option value="${v}">${l}</option>`).join('')}</select>
<button type="submit">提交评价</button></form>`
    : '';
  return `<section class="case" aria-labelledby="h-${id}"><h2 id="h-${id}">${id}</h2>
<p>目前进展：<strong>${esc(ctx.config.process.states[view.state]?.name ?? view.state)}</strong></p>
<h3>办理经过</h3>${timelineList(timeline)}<h3>收到的文书</h3>${documentList(docs)}${form}</section>`;
}

async function myPage(ctx: RouteContext, req: FastifyRequest, reply: FastifyReply) {
  const title = '我的信访事项';
  try {
    const who = await petitionerOf(ctx, req);
    if (!who) {
      const token = ctx.sessions.newToken();
      reply.header('set-cookie', ctx.sessions.cookie(CSRF_COOKIE, token));
      return send(reply, 200, title, signInForm(token));
    }
    const csrf = who.kind === 'codes' ? who.session.csrf : '';
    const cases = await myCases(ctx, who);
    const sections = await Promise.all(cases.map((c) => caseSection(ctx, who, c.caseId, csrf)));
    return send(
      reply,
      200,
      title,
      `${sections.join('\n') || '<p>没有信访事项。</p>'}
<form method="post" action="my/sign-out"><input type="hidden" name="_csrf" value="${esc(csrf)}"><button type="submit">退出</button></form>`,
    );
  } catch (e) {
    return failPage(reply, e, title);
  }
}

type Form = Record<string, string | undefined>;

async function signInPost(ctx: RouteContext, req: FastifyRequest<{ Body: Form }>, reply: FastifyReply) {
  const cookies = cookiesOf(req.headers.cookie);
  const body = req.body ?? {};
  if (!sameToken(body._csrf, cookies[CSRF_COOKIE])) {
    return failPage(reply, new HttpError(403, 'CSRF_INVALID', '页面已过期，请刷新后重试。'), '我的信访事项');
  }
  try {
    const old = await ctx.sessions.open(cookies[SESSION_COOKIE]);
    const session = await signIn(ctx, old, body.caseId ?? '', body.code ?? '');
    reply.header('set-cookie', ctx.sessions.cookie(SESSION_COOKIE, await ctx.sessions.seal(session)));
    return reply.code(303).header('location', `${ctx.base}/my`).send();
  } catch (e) {
    if (!isXinfangError(e) && !(e instanceof HttpError)) throw e;
    const token = ctx.sessions.newToken();
    reply.header('set-cookie', ctx.sessions.cookie(CSRF_COOKIE, token));
    return send(reply, 401, '我的信访事项', signInForm(token, '编号或查询码不正确，请核对告知书。'));
  }
}

async function ratingPost(
  ctx: RouteContext,
  req: FastifyRequest<{ Params: { id: string }; Body: Form }>,
  reply: FastifyReply,
) {
  try {
    const who = await petitionerOf(ctx, req);
    if (!who) throw new HttpError(401, 'UNAUTHENTICATED', '请先登录。');
    checkCsrf(who, req.body?._csrf);
    await ctx.engine.send(
      req.params.id,
      { type: RATE, payload: { rating: String(req.body?.rating ?? '') } },
      actorOn(ctx, who, req.params.id),
    );
    return reply.code(303).header('location', `${ctx.base}/my`).send();
  } catch (e) {
    return failPage(reply, e, '我的信访事项');
  }
}

/** The pages' routes (hidden from the OpenAPI document: they are HTML, not the API). */
export function pageRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const hide = { schema: { hide: true } };
  app.get('/assets/site.css', hide, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'max-age=3600').send(SITE_CSS),
  );
  app.get('/staff/sign-in', hide, (_req, reply) => staffSignInPage(ctx, reply));
  app.post<{ Body: Form }>('/staff/sign-in', hide, (req, reply) => staffSignInPost(ctx, req, reply));
  app.get('/staff/board', hide, (req, reply) => boardPage(ctx, req, reply));
  app.get<{ Params: { id: string } }>('/staff/cases/:id', hide, (req, reply) =>
    staffCasePage(ctx, req, reply),
  );
  app.get('/my', hide, (req, reply) => myPage(ctx, req, reply));
  app.post<{ Body: Form }>('/my/sign-in', hide, (req, reply) => signInPost(ctx, req, reply));
  app.post<{ Params: { id: string }; Body: Form }>('/my/cases/:id/rating', hide, (req, reply) =>
    ratingPost(ctx, req, reply),
  );
  app.post<{ Body: Form }>('/my/sign-out', hide, async (_req, reply) =>
    reply
      .header('set-cookie', ctx.sessions.cookie(SESSION_COOKIE, '', 0))
      .code(303)
      .header('location', `${ctx.base}/my`)
      .send(),
  );
}
