/**
 * The scenario format: a config author's executable example. One petition, then steps —
 * commands from named actors, clock moves, deadline ticks — each with expectations on the
 * case's state, colour, deadlines and documents. `xinfang scenario` runs them.
 */

/** Who acts in a scenario; `unit` must be a unit of the config's registry. */
export interface ScenarioActor {
  id: string;
  role: string;
  unit?: string;
  name?: string;
}

/** What a step expects of the case after it. Every key is optional; absent keys are not checked. */
export interface ScenarioExpectation {
  state?: string;
  stage?: string;
  colour?: 'green' | 'blue' | 'red';
  /** Deadline ids (or reason codes) that must be among the case's red reasons (`[]`: none). */
  red?: string[];
  /** Deadline ids that must be among the violations a completed case keeps. */
  violations?: string[];
  /** The responsible unit. */
  unit?: string;
  /** Per deadline id: its due date, status, provisional flag. */
  deadlines?: Record<string, { due?: string; status?: string; provisional?: boolean } | 'none'>;
  /** Documents issued to the case so far (by document id), in any order; each must be present. */
  documents?: string[];
  /** Documents that must NOT have been issued so far. */
  notDocuments?: string[];
  /** Values in the case data, by dotted path. */
  data?: Record<string, unknown>;
  /** Commands the named actor may send now (each must be allowed). */
  allowed?: { as: string; commands: string[] };
}

export type ScenarioStep =
  | {
      /** A command (event type) sent to the case. */
      send: string;
      as: string;
      payload?: Record<string, unknown>;
      idempotencyKey?: string;
      /** The error code this command must be refused with (the case must not change). */
      error?: string;
      expect?: ScenarioExpectation;
      note?: string;
    }
  | {
      /** Moves the clock: `{ days: 3 }`, `{ hours: 5 }` or `{ to: '2026-05-02T09:00:00+08:00' }`. */
      advance: { days?: number; hours?: number; to?: string };
      /** Runs the deadline tick after moving the clock. @default true */
      tick?: boolean;
      expect?: ScenarioExpectation;
      note?: string;
    }
  | { expect: ScenarioExpectation; note?: string };

export interface Scenario {
  name: string;
  description?: string;
  /** The clock's start instant (ISO with offset). */
  start: string;
  actors: Record<string, ScenarioActor>;
  petition: Record<string, unknown>;
  /** Who submits: an actor name. @default the actor named `registrar` */
  submittedBy?: string;
  /** The submission itself must be refused with this code. */
  submitError?: string;
  /** Expectations right after submission. */
  expect?: ScenarioExpectation;
  steps?: ScenarioStep[];
}

/** JSON Schema of a scenario file, so a malformed scenario gets a positioned error, not a crash. */
export const scenarioSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://xinfang.dev/schema/scenario.json',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'start', 'actors', 'petition'],
  $defs: {
    expect: {
      type: 'object',
      additionalProperties: false,
      properties: {
        state: { type: 'string' },
        stage: { type: 'string' },
        colour: { enum: ['green', 'blue', 'red'] },
        red: { type: 'array', items: { type: 'string' } },
        violations: { type: 'array', items: { type: 'string' } },
        unit: { type: 'string' },
        deadlines: {
          type: 'object',
          additionalProperties: {
            oneOf: [
              { const: 'none' },
              {
                type: 'object',
                additionalProperties: false,
                properties: {
                  due: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
                  status: { enum: ['running', 'paused', 'stopped', 'fired'] },
                  provisional: { type: 'boolean' },
                },
              },
            ],
          },
        },
        documents: { type: 'array', items: { type: 'string' } },
        notDocuments: { type: 'array', items: { type: 'string' } },
        data: { type: 'object' },
        allowed: {
          type: 'object',
          additionalProperties: false,
          required: ['as', 'commands'],
          properties: { as: { type: 'string' }, commands: { type: 'array', items: { type: 'string' } } },
        },
      },
    },
  },
  properties: {
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    start: { type: 'string', minLength: 10 },
    actors: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'role'],
        properties: {
          id: { type: 'string' },
          role: { type: 'string' },
          unit: { type: 'string' },
          name: { type: 'string' },
        },
      },
    },
    petition: { type: 'object' },
    submittedBy: { type: 'string' },
    submitError: { type: 'string' },
    expect: { $ref: '#/$defs/expect' },
    steps: {
      type: 'array',
      items: {
        oneOf: [
          {
            type: 'object',
            additionalProperties: false,
            required: ['send', 'as'],
            properties: {
              send: { type: 'string' },
              as: { type: 'string' },
              payload: { type: 'object' },
              idempotencyKey: { type: 'string' },
              error: { type: 'string' },
              expect: { $ref: '#/$defs/expect' },
              note: { type: 'string' },
            },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['advance'],
            properties: {
              advance: {
                type: 'object',
                additionalProperties: false,
                minProperties: 1,
                properties: {
                  days: { type: 'number', minimum: 0 },
                  hours: { type: 'number', minimum: 0 },
                  to: { type: 'string' },
                },
              },
              tick: { type: 'boolean' },
              expect: { $ref: '#/$defs/expect' },
              note: { type: 'string' },
            },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['expect'],
            properties: { expect: { $ref: '#/$defs/expect' }, note: { type: 'string' } },
          },
        ],
      },
    },
  },
} as const;
