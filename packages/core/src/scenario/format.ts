/**
 * The scenario format: a config author's executable example. One petition, then steps —
 * commands from named actors, clock moves, deadline ticks — each with expectations on the
 * case's state, colour, deadlines and documents. `xinfang scenario <config> <files...>` runs
 * them (`runScenario` in code) on a fresh in-memory store with a manual clock.
 *
 * ```yaml
 * name: 受理、办理、支持                      # shown in reports
 * start: 2026-03-02T09:00:00+08:00          # the clock's first instant (ISO, with offset)
 * actors:                                   # names used by `as:`; `unit` from the registry
 *   registrar: { id: reg-1, role: registrar, unit: county-bureau }
 *   petitioner: { id: p-1, role: petitioner }   # the case's petitioner (account id)
 * petition: { channel: letter, receivedAt: 2026-03-02, ... }   # the registration form
 * expect: { state: registered, deadlines: { disposal: { due: 2026-03-17 } } }
 * steps:
 *   - send: ACCEPT                          # a command (event type) ...
 *     as: acceptor                          # ... from an actor
 *     payload: { }                          # its payload (optional)
 *     expect: { state: accepted, issued: [acceptance-notice] }
 *   - advance: { days: 61 }                 # move the clock (days of 24 h, hours, or `to`)
 *     expect: { colour: red, red: [handling] }   # the tick ran after the move
 *   - advance: { days: 1 }
 *     tick: false                           # move the clock without firing deadlines
 *   - send: REQUEST_REVIEW
 *     as: petitioner
 *     error: COMMAND_WINDOW_CLOSED          # the command must be refused with this code
 *   - expect: { state: closed }             # a bare check
 * ```
 *
 * Rules of the run:
 * - The petition is submitted at `start` by `submittedBy` (default: the actor `registrar`);
 *   the first actor whose role is the config's petitioner role owns the case.
 * - A step with `error` must be refused with exactly that code and must not change the case.
 *   A command refused without `error`, or accepted despite `error`, stops the run.
 * - `advance` moves the clock (`to` first, then `days`, then `hours`) and runs the engine's
 *   deadline tick unless `tick: false`; expiries become `<deadline>.expired` transitions.
 * - Expectations are checked after the step; every key is optional. Failures name the step
 *   (0 = the submission, n = `steps[n-1]`) and the line of the expectation that failed.
 * - Each run records the transitions the case took (`ScenarioResult.transitions`), which the
 *   national suite uses to prove that its scenarios take every transition of the config.
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
  /**
   * Per deadline id, its latest period: due date (civil date, after rest-day and holiday
   * moves, extensions and pauses), status, provisional flag, and how many periods it has had
   * (`periods`, e.g. 2 after a reopening); `none`: never started.
   */
  deadlines?: Record<
    string,
    | {
        due?: string;
        status?: 'running' | 'paused' | 'stopped' | 'fired';
        provisional?: boolean;
        periods?: number;
      }
    | 'none'
  >;
  /** Documents issued to the case so far (by document id), in any order; each must be present. */
  documents?: string[];
  /** Documents that must NOT have been issued so far. */
  notDocuments?: string[];
  /** Exactly the documents this step issued, in order (`[]`: none); waived notices are not issued. */
  issued?: string[];
  /**
   * Values in the case data, by dotted path (`decisions.opinion.outcome`, `assignedBy.unit`).
   * A map matches when each of its keys matches; lists and scalars must be equal; `null`
   * matches an absent value.
   */
  data?: Record<string, unknown>;
  /**
   * Fields of the case's register (`registerOf`), by `section.field` (`evaluation.rating`): the
   * value its events filled in, compared as `data` is; `null` matches an empty field.
   */
  register?: Record<string, unknown>;
  /** Commands the named actor may send now: each must be allowed; with `exactly`, no others. */
  allowed?: { as: string; commands: string[]; exactly?: boolean };
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
  /**
   * Earlier cases of the same petitioner, run in order on the same store and clock before the
   * scenario's own petition is registered: a repeat (Reg. 36) needs the matter it repeats.
   * Their transitions count as taken; their expectations are checked on their own case.
   */
  earlier?: EarlierCase[];
}

/** A case run before the scenario's own: its petition and the steps that take it where it ends. */
export interface EarlierCase {
  petition: Record<string, unknown>;
  /** Who submits: an actor name. @default the actor named `registrar` */
  submittedBy?: string;
  steps?: ScenarioStep[];
}

/** A list of steps: each is a command, a clock move or a bare expectation. */
const STEPS_SCHEMA = {
  type: 'array',
  // a step's kind is the key it has (`send`, else `advance`, else a bare `expect`); if/else
  // rather than oneOf, so a mistake gets the message of the kind it meant
  items: {
    type: 'object',
    if: { required: ['send'] },
    // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else
    then: {
      additionalProperties: false,
      required: ['send', 'as'],
      properties: {
        send: { type: 'string', minLength: 1 },
        as: { type: 'string' },
        payload: { type: 'object' },
        idempotencyKey: { type: 'string' },
        error: { type: 'string' },
        expect: { $ref: '#/$defs/expect' },
        note: { type: 'string' },
      },
    },
    else: {
      if: { required: ['advance'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else
      then: {
        additionalProperties: false,
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
      else: {
        additionalProperties: false,
        required: ['expect'],
        // `send` and `advance` are listed so a misspelt one gets a "did you mean"
        properties: {
          expect: { $ref: '#/$defs/expect' },
          note: { type: 'string' },
          send: true,
          advance: true,
        },
      },
    },
  },
} as const;

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
          // if/else rather than oneOf, so a mistake gets the one message of the branch it meant
          additionalProperties: {
            if: { type: 'string' },
            // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then/else
            then: { const: 'none' },
            else: {
              type: 'object',
              additionalProperties: false,
              properties: {
                due: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
                status: { enum: ['running', 'paused', 'stopped', 'fired'] },
                provisional: { type: 'boolean' },
                periods: { type: 'integer', minimum: 1 },
              },
            },
          },
        },
        documents: { type: 'array', items: { type: 'string' } },
        notDocuments: { type: 'array', items: { type: 'string' } },
        issued: { type: 'array', items: { type: 'string' } },
        data: { type: 'object' },
        register: { type: 'object', propertyNames: { pattern: '^[^.]+\\.[^.]+$' } },
        allowed: {
          type: 'object',
          additionalProperties: false,
          required: ['as', 'commands'],
          properties: {
            as: { type: 'string' },
            commands: { type: 'array', items: { type: 'string' } },
            exactly: { type: 'boolean' },
          },
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
    steps: STEPS_SCHEMA,
    earlier: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['petition'],
        properties: {
          petition: { type: 'object' },
          submittedBy: { type: 'string' },
          steps: STEPS_SCHEMA,
        },
      },
    },
  },
} as const;
