/**
 * The three-colour board as the service shows it: one page of cases at a time through the
 * engine's `query` and its cursor (never a silent cap: `next` is there while more may match),
 * and counts by stage, unit and colour over every page. A small view of its own, made only from
 * what `query` returns, so it can give way to core's board when core has one.
 */

import type { ActorRef, CaseQuery, CaseView, Engine, JurisdictionConfig } from '@xinfang/core';
import type { FastifyInstance } from 'fastify';
import { actorOf, type RouteContext, requirePrincipal } from './context.js';
import { boardCountsQuery, boardQuery } from './schemas.js';

type Colour = 'green' | 'blue' | 'red';

/** A duty a case still owes: running, paused, or overdue (its period ran out, the duty not done). */
export interface Owed {
  deadline: string;
  name: string;
  dueDate?: string;
  /** Its period ran out and the duty is still not done. */
  overdue: boolean;
}

/** One case on the board. */
export interface BoardCase {
  caseId: string;
  state: string;
  stateName: string;
  stage: string;
  colour: Colour;
  unit?: string;
  unitName?: string;
  redReasons: { code: string; message: string; ref?: string; at: string }[];
  owes: Owed[];
}

/** Counts per colour. */
export type ColourCounts = Record<Colour, number>;

/** The board's counts over every case the viewer may read that match the filters. */
export interface BoardCounts {
  total: ColourCounts;
  byStage: Record<string, ColourCounts>;
  byUnit: Record<string, ColourCounts>;
  /** The red cases, each with its reasons and what it still owes. */
  red: BoardCase[];
  /** Pages read to count. */
  pages: number;
}

const zero = (): ColourCounts => ({ green: 0, blue: 0, red: 0 });

function bump(counts: Record<string, ColourCounts>, key: string, colour: Colour): void {
  const n = counts[key] ?? zero();
  n[colour]++;
  counts[key] = n;
}

/** A case as the board shows it. */
export function boardCase(config: JurisdictionConfig, c: CaseView): BoardCase {
  const deadlines =
    (c.data as { deadlines?: Record<string, { status: string; dueDate?: string }> }).deadlines ?? {};
  const owes: Owed[] = [];
  for (const [id, d] of Object.entries(deadlines)) {
    const def = config.deadlines[id];
    if (def?.kind !== 'duty' || d.status === 'stopped') continue;
    owes.push({
      deadline: id,
      name: def.name ?? id,
      overdue: d.status === 'fired',
      ...(d.dueDate ? { dueDate: d.dueDate } : {}),
    });
  }
  const unit = c.responsibleUnit;
  const unitName = unit === undefined ? undefined : config.units?.[unit]?.name;
  return {
    caseId: c.caseId,
    state: c.state,
    stateName: config.process.states[c.state]?.name ?? c.state,
    stage: c.stage,
    colour: c.colour as Colour,
    ...(unit !== undefined ? { unit } : {}),
    ...(unitName !== undefined ? { unitName } : {}),
    redReasons: c.redReasons.map((r) => ({
      code: r.code,
      message: r.message,
      at: r.at,
      ...(r.ref ? { ref: r.ref } : {}),
    })),
    owes,
  };
}

/** Reads every page of `q` for `viewer` and counts it. */
export async function countBoard(
  engine: Engine,
  config: JurisdictionConfig,
  q: CaseQuery,
  viewer: ActorRef,
): Promise<BoardCounts> {
  const out: BoardCounts = { total: zero(), byStage: {}, byUnit: {}, red: [], pages: 0 };
  let after: string | undefined = q.after;
  do {
    const page = await engine.query({ ...q, limit: 100, ...(after !== undefined ? { after } : {}) }, viewer);
    out.pages++;
    for (const c of page.cases) {
      const b = boardCase(config, c);
      out.total[b.colour]++;
      bump(out.byStage, b.stage, b.colour);
      bump(out.byUnit, b.unit ?? '', b.colour);
      if (b.colour === 'red') out.red.push(b);
    }
    after = page.next;
  } while (after !== undefined);
  return out;
}

type BoardFilters = {
  stage?: string | string[];
  state?: string | string[];
  colour?: string | string[];
  unit?: string;
};

/** The engine query of the board's filters. */
export function boardFilters(query: BoardFilters): CaseQuery {
  const q: CaseQuery = {};
  if (query.stage !== undefined) q.stage = query.stage;
  if (query.state !== undefined) q.state = query.state;
  if (query.colour !== undefined) q.colour = query.colour;
  if (query.unit !== undefined) q.unit = query.unit;
  return q;
}

/** `GET /board` (a page) and `GET /board/counts`. */
export function boardRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: BoardFilters & { after?: string; limit?: number } }>(
    '/board',
    {
      schema: {
        tags: ['board'],
        summary: 'One page of the board (cursor: `next` → `after`)',
        querystring: boardQuery,
      },
    },
    async (req) => {
      const p = await requirePrincipal(ctx, req);
      const { after, limit = 50 } = req.query;
      const page = await ctx.engine.query(
        { ...boardFilters(req.query), limit, ...(after !== undefined ? { after } : {}) },
        actorOf(p),
      );
      return {
        cases: page.cases.map((c) => boardCase(ctx.config, c)),
        ...(page.next !== undefined ? { next: page.next } : {}),
      };
    },
  );

  app.get<{ Querystring: BoardFilters }>(
    '/board/counts',
    {
      schema: {
        tags: ['board'],
        summary: 'Counts by stage, unit and colour over every matching case, and the red cases',
        querystring: boardCountsQuery,
      },
    },
    async (req) => {
      const p = await requirePrincipal(ctx, req);
      return countBoard(ctx.engine, ctx.config, boardFilters(req.query), actorOf(p));
    },
  );
}
