/**
 * The reports: the metrics by body, region or kind of matter (on-time acceptance and completion,
 * satisfaction, repeat petitions, review and overturn rates ...), the legalization index, and the
 * annual report of Reg. 41. Each is core's, made from the store the engine writes
 * (`readCaseFacts`) over the cases the viewer may read, judged by the engine's own read rule
 * (`mayRead`): staff of a unit count the cases their unit reads, never an accusation against it.
 *
 * Reports are for staff: a petitioner follows their own cases (`/me/cases`) and is refused here
 * (403), as is staff signed on in no role the embedder opened reports to (`reportRoles`).
 */

import {
  type ActorRef,
  addCivilDays,
  type CaseStore,
  civilDate,
  isCivilDate,
  parseInstant,
} from '@xinfang/core';
import {
  annualReport,
  type GroupBy,
  type MetricRow,
  metricsReport,
  type PeriodUnit,
  readCaseFacts,
} from '@xinfang/core/reporting';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf, type RouteContext, requirePrincipal } from './context.js';
import { HttpError } from './errors.js';

const DATE = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' };
const AS_OF = {
  type: 'string',
  maxLength: 40,
  description: 'the instant reported on, with its zone (e.g. 2026-06-01T00:00:00+08:00); default now',
};

const groupProps = {
  by: { type: 'string', enum: ['unit', 'region', 'kind'], default: 'unit' },
  period: { type: 'string', enum: ['all', 'year', 'quarter', 'month'], default: 'all' },
  from: { ...DATE, description: 'cases registered on or after this date' },
  to: { ...DATE, description: 'cases registered on or before this date (the last day)' },
  asOf: AS_OF,
};

const metricsQuery = {
  type: 'object',
  properties: {
    ...groupProps,
    top: { type: 'integer', minimum: 0, maximum: 100, default: 5, description: 'longest-open cases per row' },
  },
  additionalProperties: false,
};

const indexQuery = { type: 'object', properties: groupProps, additionalProperties: false };

const annualQuery = {
  type: 'object',
  properties: {
    year: {
      type: 'integer',
      minimum: 1000,
      maximum: 9998,
      description: "default: the year of asOf in the config's zone",
    },
    asOf: AS_OF,
    top: { type: 'integer', minimum: 1, maximum: 100, default: 10, description: 'fields and bodies listed' },
  },
  additionalProperties: false,
};

type GroupQuery = { by?: GroupBy; period?: PeriodUnit; from?: string; to?: string; asOf?: string };

/** Whom a report is for, and the store it reads; refused before anything is read. */
async function reportReader(
  ctx: RouteContext,
  req: FastifyRequest,
): Promise<{ store: CaseStore; viewer: ActorRef }> {
  const p = await requirePrincipal(ctx, req);
  const role = p.roles.find((r) => ctx.reportRoles.includes(r));
  if (role === undefined) {
    throw new HttpError(
      403,
      'FORBIDDEN',
      p.roles.includes(ctx.petitionerRole)
        ? 'reports are for staff; a petitioner follows their own cases at /me/cases'
        : `reports are open to the roles ${ctx.reportRoles.join(', ')}: sign on in one of them`,
    );
  }
  if (!ctx.store) {
    throw new HttpError(
      501,
      'REPORTS_UNAVAILABLE',
      'this service was started without its store: pass the store the engine writes as `store` to serve reports',
    );
  }
  return { store: ctx.store, viewer: actorOf(p, role) };
}

/** The report's instant: `asOf` as given (with its zone, not after now), else the clock's now. */
function asOfOf(ctx: RouteContext, asked: string | undefined): string {
  const now = ctx.clock.now().toISOString();
  if (asked === undefined) return now;
  const at = parseInstant(asked);
  if (at === undefined) {
    throw new HttpError(
      400,
      'BAD_REQUEST',
      `asOf must be an instant with its zone, e.g. 2026-06-01T00:00:00+08:00, not ${asked}`,
    );
  }
  if (at > now)
    throw new HttpError(
      400,
      'BAD_REQUEST',
      `asOf ${asked} is after now: report on an instant that has passed`,
    );
  return at;
}

/** `from` and the day after `to` (reports take `[from, to)`), each a real date, in order. */
function rangeOf(q: GroupQuery): { from?: string; to?: string } {
  for (const [field, value] of [
    ['from', q.from],
    ['to', q.to],
  ] as const) {
    // the day after `to` must still be a date of a four-digit year
    if (value !== undefined && (!isCivilDate(value) || value < '1000-01-01' || value > '9998-12-31')) {
      throw new HttpError(
        400,
        'BAD_REQUEST',
        `${field} must be a real date YYYY-MM-DD from 1000-01-01 to 9998-12-31, not ${value}`,
      );
    }
  }
  if (q.from !== undefined && q.to !== undefined && q.to < q.from) {
    throw new HttpError(400, 'BAD_REQUEST', `to (${q.to}) is before from (${q.from})`);
  }
  return {
    ...(q.from !== undefined ? { from: q.from } : {}),
    ...(q.to !== undefined ? { to: addCivilDays(q.to, 1) } : {}),
  };
}

/** The metrics report of a request. */
async function metricsOf(
  ctx: RouteContext,
  req: FastifyRequest<{ Querystring: GroupQuery & { top?: number } }>,
) {
  const { store, viewer } = await reportReader(ctx, req);
  const q = req.query;
  const range = rangeOf(q);
  const asOf = asOfOf(ctx, q.asOf);
  const read = await readCaseFacts(store, { asOf, viewer, ...range });
  return metricsReport(read.facts, {
    asOf,
    by: q.by ?? 'unit',
    period: q.period ?? 'all',
    top: q.top ?? 5,
    configs: read.configs,
    ...range,
  });
}

const indexRow = (r: MetricRow) => ({
  key: r.key,
  name: r.name,
  jurisdictionId: r.jurisdictionId,
  period: r.period,
  cases: r.cases,
  index: r.index,
});

/** `GET /reports/metrics`, `/reports/legalization-index` and `/reports/annual`. */
export function reportRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: GroupQuery & { top?: number } }>(
    '/reports/metrics',
    {
      schema: {
        tags: ['reports'],
        summary:
          'Metrics by body, region or kind of matter (on-time acceptance and completion, satisfaction, repeats, review and overturn rates, the index), over the cases the caller may read',
        querystring: metricsQuery,
      },
    },
    (req) => metricsOf(ctx, req),
  );

  app.get<{ Querystring: GroupQuery }>(
    '/reports/legalization-index',
    {
      schema: {
        tags: ['reports'],
        summary:
          'The legalization index (0-100) by group and its components, over the cases the caller may read',
        querystring: indexQuery,
      },
    },
    async (req) => {
      const r = await metricsOf(ctx, req);
      return {
        asOf: r.asOf,
        ...(r.from !== undefined ? { from: r.from } : {}),
        ...(r.to !== undefined ? { to: r.to } : {}),
        by: r.by,
        period: r.period,
        jurisdictions: r.jurisdictions,
        rows: r.rows.map(indexRow),
        totals: r.totals.map(indexRow),
      };
    },
  );

  app.get<{ Querystring: { year?: number; asOf?: string; top?: number } }>(
    '/reports/annual',
    {
      schema: {
        tags: ['reports'],
        summary: 'The annual report of Reg. 41 for a calendar year, over the cases the caller may read',
        querystring: annualQuery,
      },
    },
    async (req) => {
      const { store, viewer } = await reportReader(ctx, req);
      const asOf = asOfOf(ctx, req.query.asOf);
      const current = Number(civilDate(asOf, ctx.config.jurisdiction.timezone).slice(0, 4));
      const year = req.query.year ?? current;
      if (year > current) {
        throw new HttpError(
          400,
          'BAD_REQUEST',
          `the year ${year} has not begun by ${asOf}: ask for ${current} or before`,
        );
      }
      const from = `${year}-01-01`;
      const to = `${year + 1}-01-01`;
      // the year's steps on cases registered before it count too: no lower bound on registration
      const read = await readCaseFacts(store, { asOf, viewer, to });
      return annualReport(read.facts, { asOf, from, to, configs: read.configs, top: req.query.top ?? 10 });
    },
  );
}
