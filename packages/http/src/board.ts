/**
 * The three-colour board as the service shows it: core's stage board for the signed-on viewer.
 * `/board` is one page of it and its cursor (`stageBoardPage`: never a silent cap, `next` is there
 * while more may match); `/board/counts` is the whole board (`stageBoard`: every page, counted by
 * stage, unit and colour, with the red cases and what they owe). Core scopes both to what the
 * viewer may read; the service adds no query of its own.
 */

import {
  type ActorRef,
  type BoardQuery,
  type ColourCounts,
  type Engine,
  type JurisdictionConfig,
  type StageBoardCase,
  stageBoard,
  stageBoardPage,
} from '@xinfang/core';
import type { FastifyInstance } from 'fastify';
import { actorOf, type RouteContext, requirePrincipal } from './context.js';
import { boardCountsQuery, boardQuery } from './schemas.js';

/** The board's counts over every case the viewer may read that match the filters. */
export interface BoardCounts {
  total: ColourCounts;
  /** Every stage of the config, in its order (zeros included), then any other a case is in. */
  byStage: Record<string, ColourCounts>;
  /** By responsible unit (`''`: none yet). */
  byUnit: Record<string, ColourCounts>;
  /** The red cases, each with its reasons and what it still owes. */
  red: StageBoardCase[];
  /** Pages read to count. */
  pages: number;
}

/** Reads every page of the board for `viewer` and counts it (core's `stageBoard`). */
export async function countBoard(
  engine: Engine,
  config: JurisdictionConfig,
  query: BoardQuery,
  viewer: ActorRef,
): Promise<BoardCounts> {
  const board = await stageBoard(engine, config, { viewer, query });
  return {
    total: board.byColour,
    byStage: Object.fromEntries(board.stages.map((s) => [s.stage, s.counts])),
    byUnit: Object.fromEntries(board.units.map((u) => [u.unit, u.counts])),
    red: board.red,
    pages: board.pages,
  };
}

type BoardFilters = {
  stage?: string | string[];
  state?: string | string[];
  colour?: string | string[];
  unit?: string;
};

/** The board query of the route's filters (nothing else of the querystring reaches core). */
export function boardFilters(query: BoardFilters): BoardQuery {
  const q: BoardQuery = {};
  if (query.stage !== undefined) q.stage = query.stage;
  if (query.state !== undefined) q.state = query.state;
  if (query.colour !== undefined) q.colour = query.colour;
  if (query.unit !== undefined) q.unit = query.unit;
  return q;
}

const colourCounts = {
  type: 'object',
  properties: { green: { type: 'integer' }, blue: { type: 'integer' }, red: { type: 'integer' } },
  required: ['green', 'blue', 'red'],
};

const boardCaseSchema = {
  type: 'object',
  properties: {
    caseId: { type: 'string' },
    state: { type: 'string' },
    stateName: { type: 'string' },
    stage: { type: 'string' },
    colour: { type: 'string', enum: ['green', 'blue', 'red'] },
    unit: { type: 'string' },
    unitName: { type: 'string' },
    leadCase: {
      type: 'object',
      properties: { leader: { type: 'string' }, position: { type: 'string' } },
      required: ['leader'],
    },
    reasons: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          code: { type: 'string' },
          message: { type: 'string' },
          ref: { type: 'string' },
          basis: { type: 'string' },
          at: { type: 'string' },
        },
        required: ['code', 'message', 'at'],
      },
    },
    owes: {
      type: 'array',
      description:
        'duties running, paused or overdue: `text` says what in words ("信访处理意见书, due 2026-05-06")',
      items: {
        type: 'object',
        properties: {
          deadline: { type: 'string' },
          deadlineName: { type: 'string' },
          dueDate: { type: 'string', description: 'YYYY-MM-DD, the last day of the period' },
          overdue: { type: 'boolean' },
          documents: { type: 'array', items: { type: 'string' } },
          text: { type: 'string' },
        },
        required: ['deadline', 'deadlineName', 'overdue', 'documents', 'text'],
      },
    },
  },
  required: ['caseId', 'state', 'stateName', 'stage', 'colour', 'reasons', 'owes'],
};

/** `GET /board` (a page) and `GET /board/counts`. */
export function boardRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: BoardFilters & { after?: string; limit?: number } }>(
    '/board',
    {
      schema: {
        tags: ['board'],
        summary: 'One page of the board (cursor: `next` → `after`)',
        querystring: boardQuery,
        response: {
          200: {
            type: 'object',
            properties: { cases: { type: 'array', items: boardCaseSchema }, next: { type: 'string' } },
            required: ['cases'],
          },
        },
      },
    },
    async (req) => {
      const p = await requirePrincipal(ctx, req);
      const { after, limit = 50 } = req.query;
      return stageBoardPage(ctx.engine, ctx.config, {
        viewer: actorOf(p),
        query: boardFilters(req.query),
        limit,
        ...(after !== undefined ? { after } : {}),
      });
    },
  );

  app.get<{ Querystring: BoardFilters }>(
    '/board/counts',
    {
      schema: {
        tags: ['board'],
        summary: 'Counts by stage, unit and colour over every matching case, and the red cases',
        querystring: boardCountsQuery,
        response: {
          200: {
            type: 'object',
            properties: {
              total: colourCounts,
              byStage: { type: 'object', additionalProperties: colourCounts },
              byUnit: { type: 'object', additionalProperties: colourCounts },
              red: { type: 'array', items: boardCaseSchema },
              pages: { type: 'integer' },
            },
            required: ['total', 'byStage', 'byUnit', 'red', 'pages'],
          },
        },
      },
    },
    async (req) => {
      const p = await requirePrincipal(ctx, req);
      return countBoard(ctx.engine, ctx.config, boardFilters(req.query), actorOf(p));
    },
  );
}
