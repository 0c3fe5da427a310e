/**
 * The petitioner's own routes (Reg. 21): their cases, each case's progress as a plain-language
 * timeline, and the rating. A petitioner with an account signs on like anyone (a principal in
 * the petitioner role: the engine lists only their own cases); one without signs in with the case
 * number and the query code on their notice, which opens that case alone for the session.
 */

import type { ActorRef, CaseView, EventView, JurisdictionConfig } from '@xinfang/core';
import { caseSteps } from '@xinfang/core/reporting';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, principalOf, type RouteContext } from './context.js';
import { HttpError } from './errors.js';
import { type CodeGrant, cookiesOf, MAX_GRANTS, SESSION_COOKIE, type Session, sameToken } from './session.js';

/** Who the petitioner is in this request: an account, or the cases their codes opened. */
export type Petitioner =
  | { kind: 'account'; actor: ActorRef }
  | { kind: 'codes'; grants: CodeGrant[]; session: Session };

/** The actor of a code session on one case (the engine turns the code into the holder). */
export function codeActor(ctx: RouteContext, grant: CodeGrant): ActorRef {
  return { id: 'code-session', role: ctx.petitionerRole, queryCode: grant.code };
}

/** The petitioner of a request, or undefined. */
export async function petitionerOf(ctx: RouteContext, req: FastifyRequest): Promise<Petitioner | undefined> {
  const p = await principalOf(ctx, req);
  if (p?.roles.includes(ctx.petitionerRole))
    return { kind: 'account', actor: actorOf(p, ctx.petitionerRole) };
  const session = await ctx.sessions.open(cookiesOf(req.headers.cookie)[SESSION_COOKIE]);
  return session && session.grants.length > 0
    ? { kind: 'codes', grants: session.grants, session }
    : undefined;
}

async function requirePetitioner(ctx: RouteContext, req: FastifyRequest): Promise<Petitioner> {
  const who = await petitionerOf(ctx, req);
  if (!who)
    throw new HttpError(
      401,
      'UNAUTHENTICATED',
      'sign in with your account or with the query code on your notice',
    );
  return who;
}

/** The actor that reads `caseId` for this petitioner (a code opens only its own case). */
export function actorOn(ctx: RouteContext, who: Petitioner, caseId: string): ActorRef {
  if (who.kind === 'account') return who.actor;
  const grant = who.grants.find((g) => g.caseId === caseId);
  if (!grant) throw new HttpError(404, 'NOT_FOUND', `no case ${caseId} in this session`);
  return codeActor(ctx, grant);
}

/** The petitioner's cases (each read through the engine, so its scoping holds). */
export async function myCases(ctx: RouteContext, who: Petitioner): Promise<CaseView[]> {
  if (who.kind === 'codes') {
    return Promise.all(who.grants.map((g) => ctx.engine.get(g.caseId, codeActor(ctx, g))));
  }
  const out: CaseView[] = [];
  let after: string | undefined;
  do {
    const page = await ctx.engine.query({ limit: 100, ...(after !== undefined ? { after } : {}) }, who.actor);
    out.push(...page.cases);
    after = page.next;
  } while (after !== undefined);
  return out;
}

/** One line of the timeline. */
export interface TimelineEntry {
  seq: number;
  at: string;
  /** What happened, in plain words. */
  text: string;
  /** The state the case was in after it. */
  stateName: string;
}

/** The case's progress in plain words: each step's name and where it left the case. */
export function timelineOf(config: JurisdictionConfig, view: CaseView, events: EventView[]): TimelineEntry[] {
  return caseSteps(config, view, events).map((s) => {
    const stateName = config.process.states[s.to]?.name ?? s.to;
    let text: string;
    if (s.type === 'SUBMITTED') text = '信访事项已登记';
    else if (s.type === 'deadline.expired') {
      const id = String(s.payload.deadline ?? '');
      text = `${config.deadlines[id]?.name ?? id}已届满`;
    } else if (s.type === RATE) {
      // the rating given, not the command's name listing all three choices
      const command = s.payload.command as { rating?: unknown } | undefined;
      const given = typeof command?.rating === 'string' ? command.rating : undefined;
      const name = RATINGS.find(([v]) => v === given)?.[1] ?? given;
      text = name ? `信访人评价：${name}` : '信访人评价';
    } else {
      const on = s.from === undefined ? undefined : config.process.states[s.from]?.on?.[s.type];
      const t = Array.isArray(on) ? on[0] : on;
      text = (t as { name?: string } | undefined)?.name ?? s.type;
    }
    return { seq: s.seq, at: s.at, text, stateName };
  });
}

/** The rating command of the config (Reg. 21), and the values its payload takes. */
export const RATE = 'RATE';

/** The ratings of Reg. 21 as the petitioner reads them. */
export const RATINGS: [string, string][] = [
  ['satisfied', '满意'],
  ['basically-satisfied', '基本满意'],
  ['dissatisfied', '不满意'],
];

/** Signs a code in: the code must open the case (the engine checks it), or 404 as for no case. */
export async function signIn(
  ctx: RouteContext,
  session: Session | undefined,
  caseId: string,
  code: string,
): Promise<Session> {
  if (typeof caseId !== 'string' || typeof code !== 'string' || caseId.length > 200 || code.length > 64) {
    throw new HttpError(400, 'QUERY_CODE_INVALID', 'give the case number and the query code on your notice');
  }
  const grant = { caseId: caseId.trim(), code: code.trim() };
  await ctx.engine.get(grant.caseId, codeActor(ctx, grant));
  const grants = [...(session?.grants ?? []).filter((g) => g.caseId !== grant.caseId), grant].slice(
    -MAX_GRANTS,
  );
  return { grants, csrf: session?.csrf ?? ctx.sessions.newToken() };
}

async function setSession(ctx: RouteContext, reply: FastifyReply, session: Session) {
  reply.header('set-cookie', ctx.sessions.cookie(SESSION_COOKIE, await ctx.sessions.seal(session)));
}

type IdParams = { id: string };

/** A code session's writes carry its CSRF token (header `X-CSRF-Token` or form field `_csrf`). */
export function checkCsrf(who: Petitioner, token: unknown): void {
  if (who.kind !== 'codes') return;
  if (!sameToken(typeof token === 'string' ? token : undefined, who.session.csrf)) {
    throw new HttpError(
      403,
      'CSRF_INVALID',
      'the form is stale or was not sent by this site: reload the page',
    );
  }
}

/** `POST /sign-in`, `/sign-out`, `GET /me/cases`, `/me/cases/:id/timeline`, `POST /me/cases/:id/rating`. */
export function petitionerRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Body: { caseId: string; code: string } }>(
    '/sign-in',
    {
      schema: {
        tags: ['petitioner'],
        summary: 'Sign in with the case number and query code of a notice (sets the session cookie)',
        body: {
          type: 'object',
          properties: { caseId: { type: 'string', maxLength: 200 }, code: { type: 'string', maxLength: 64 } },
          required: ['caseId', 'code'],
        },
      },
    },
    async (req, reply) => {
      const old = await ctx.sessions.open(cookiesOf(req.headers.cookie)[SESSION_COOKIE]);
      const session = await signIn(ctx, old, req.body.caseId, req.body.code);
      await setSession(ctx, reply, session);
      return { cases: session.grants.map((g) => g.caseId), csrf: session.csrf };
    },
  );

  app.post(
    '/sign-out',
    { schema: { tags: ['petitioner'], summary: 'End the session' } },
    async (_req, reply) => {
      reply.header('set-cookie', ctx.sessions.cookie(SESSION_COOKIE, '', 0));
      return reply.code(204).send();
    },
  );

  app.get(
    '/me/cases',
    { schema: { tags: ['petitioner'], summary: "The petitioner's own cases" } },
    async (req) => {
      const who = await requirePetitioner(ctx, req);
      return { cases: await myCases(ctx, who) };
    },
  );

  app.get<{ Params: IdParams }>(
    '/me/cases/:id/timeline',
    {
      schema: {
        tags: ['petitioner'],
        summary: 'The progress of a case in plain words',
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] },
      },
    },
    async (req) => {
      const who = await requirePetitioner(ctx, req);
      const actor = actorOn(ctx, who, req.params.id);
      const view = await ctx.engine.get(req.params.id, actor);
      const events = await ctx.engine.history(req.params.id, actor);
      const documents = await ctx.engine.documents(req.params.id, actor);
      return {
        caseId: view.caseId,
        stateName: config(ctx, view.state),
        timeline: timelineOf(ctx.config, view, events),
        documents,
      };
    },
  );

  app.post<{ Params: IdParams; Body: { rating: string; comment?: string } }>(
    '/me/cases/:id/rating',
    {
      schema: {
        tags: ['petitioner'],
        summary: 'Rate the handling while the rating window is open (Reg. 21)',
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 200 } }, required: ['id'] },
        body: {
          type: 'object',
          properties: { rating: { type: 'string' } },
          required: ['rating'],
          'x-envelope': { type: 'object', required: ['rating'] },
        },
      },
    },
    async (req) => {
      const who = await requirePetitioner(ctx, req);
      const { _csrf, ...payload } = req.body as Record<string, unknown>;
      checkCsrf(who, req.headers['x-csrf-token'] ?? _csrf);
      return ctx.engine.send(req.params.id, { type: RATE, payload }, actorOn(ctx, who, req.params.id));
    },
  );
}

const config = (ctx: RouteContext, state: string) => ctx.config.process.states[state]?.name ?? state;
