/**
 * The staff and integrator routes: register, send, read a case, its history (with `verify`), its
 * documents (with a seal check), the commands allowed now. Each handler signs the request on,
 * makes the actor and calls the engine once; the engine's errors become problems (`errors.ts`).
 */

import { type CaseDocument, type Command, verifyDocument } from '@xinfang/core';
import type { FastifyInstance } from 'fastify';
import {
  actorOf,
  etag,
  expectedVersionOf,
  idempotencyKeyOf,
  type RouteContext,
  requirePrincipal,
  roleForCommand,
  roleForSubmit,
} from './context.js';
import { HttpError } from './errors.js';
import { caseParams, commandSchema, petitionSchema, verifyQuery } from './schemas.js';

type IdParams = { id: string };

/** `POST /petitions` and `POST /cases/:id/commands`. */
export function commandRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Body: Record<string, unknown> }>(
    '/petitions',
    { schema: { tags: ['cases'], summary: 'Register a petition', body: petitionSchema(ctx.config) } },
    async (req, reply) => {
      const p = await requirePrincipal(ctx, req);
      const key = idempotencyKeyOf(req.headers['idempotency-key']);
      const result = await ctx.engine.submit(req.body, actorOf(p, roleForSubmit(ctx.config, p)), {
        ...(key !== undefined ? { idempotencyKey: key } : {}),
      });
      reply.code(201).header('location', `cases/${encodeURIComponent(result.caseId)}`);
      return reply.header('etag', etag(result.version)).send(result);
    },
  );

  app.post<{ Params: IdParams; Body: { type: string; payload?: Record<string, unknown> } }>(
    '/cases/:id/commands',
    {
      schema: {
        tags: ['cases'],
        summary: 'Send a command (If-Match pins the case version; Idempotency-Key makes a retry safe)',
        params: caseParams,
        body: commandSchema(ctx.config),
      },
    },
    async (req, reply) => {
      const p = await requirePrincipal(ctx, req);
      const expectedVersion = expectedVersionOf(req.headers['if-match']);
      const key = idempotencyKeyOf(req.headers['idempotency-key']);
      const { type, payload } = req.body;
      const command: Command = { type, ...(payload !== undefined ? { payload } : {}) };
      try {
        const result = await ctx.engine.send(
          req.params.id,
          command,
          actorOf(p, roleForCommand(ctx.config, p, type)),
          {
            ...(expectedVersion !== undefined ? { expectedVersion } : {}),
            ...(key !== undefined ? { idempotencyKey: key } : {}),
          },
        );
        return reply.header('etag', etag(result.version)).send(result);
      } catch (e) {
        // a stale If-Match is the precondition failing (RFC 9110 13.1.1), not a lost race
        if (expectedVersion !== undefined && (e as { code?: string }).code === 'CONCURRENCY_CONFLICT') {
          throw new HttpError(
            412,
            'CONCURRENCY_CONFLICT',
            `the case is no longer at version ${expectedVersion}`,
            {
              expectedVersion,
            },
          );
        }
        throw e;
      }
    },
  );
}

/** `GET /cases/:id`, `/cases/:id/commands`, `/cases/:id/history`. */
export function caseRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Params: IdParams }>(
    '/cases/:id',
    { schema: { tags: ['cases'], summary: 'The case as the caller may see it', params: caseParams } },
    async (req, reply) => {
      const p = await requirePrincipal(ctx, req);
      const view = await ctx.engine.get(req.params.id, actorOf(p));
      return reply.header('etag', etag(view.version)).send(view);
    },
  );

  app.get<{ Params: IdParams }>(
    '/cases/:id/commands',
    {
      schema: {
        tags: ['cases'],
        summary: 'The commands the caller may send now, in any of their roles',
        params: caseParams,
      },
    },
    async (req) => {
      const p = await requirePrincipal(ctx, req);
      const all = new Set<string>();
      for (const role of p.roles) {
        for (const c of await ctx.engine.allowedCommands(req.params.id, actorOf(p, role))) all.add(c);
      }
      return { caseId: req.params.id, commands: [...all].sort() };
    },
  );

  app.get<{ Params: IdParams; Querystring: { verify?: boolean } }>(
    '/cases/:id/history',
    {
      schema: {
        tags: ['cases'],
        summary: 'The case events; with verify=true, the check of the whole case against its keyed log',
        params: caseParams,
        querystring: verifyQuery,
      },
    },
    async (req) => {
      const p = await requirePrincipal(ctx, req);
      const events = await ctx.engine.history(req.params.id, actorOf(p));
      if (!req.query.verify) return { caseId: req.params.id, events };
      return { caseId: req.params.id, events, verification: await ctx.engine.verify(req.params.id) };
    },
  );
}

const docParams = {
  type: 'object',
  properties: {
    ...(caseParams.properties as object),
    seq: { type: 'integer', minimum: 1 },
    documentId: { type: 'string', maxLength: 200 },
  },
  required: ['id', 'seq', 'documentId'],
};

/** `GET /cases/:id/documents` and the seal check of one of them. */
export function documentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Params: IdParams }>(
    '/cases/:id/documents',
    {
      schema: {
        tags: ['documents'],
        summary: 'The documents issued on the case, as the caller may read them',
        params: caseParams,
      },
    },
    async (req) => {
      const p = await requirePrincipal(ctx, req);
      return { caseId: req.params.id, documents: await ctx.engine.documents(req.params.id, actorOf(p)) };
    },
  );

  app.get<{ Params: IdParams & { seq: number; documentId: string } }>(
    '/cases/:id/documents/:seq/:documentId/verify',
    {
      schema: { tags: ['documents'], summary: "Check a document's seal and content hash", params: docParams },
    },
    async (req) => {
      const p = await requirePrincipal(ctx, req);
      const docs = await ctx.engine.documents(req.params.id, actorOf(p));
      const doc = docs.find(
        (d: CaseDocument) => d.seq === req.params.seq && d.documentId === req.params.documentId,
      );
      if (!doc)
        throw new HttpError(
          404,
          'NOT_FOUND',
          `no document ${req.params.documentId} at step ${req.params.seq}`,
        );
      if (!doc.sealed) throw new HttpError(404, 'NOT_FOUND', 'this document was issued without a seal');
      if (!ctx.verifyKey)
        throw new HttpError(
          501,
          'SEAL_VERIFY_UNAVAILABLE',
          'the service was started without a seal verification key',
        );
      const result = await verifyDocument(doc.sealed, ctx.verifyKey);
      return {
        caseId: req.params.id,
        seq: doc.seq,
        documentId: doc.documentId,
        number: doc.number,
        ...result,
      };
    },
  );
}
