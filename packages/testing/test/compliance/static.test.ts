import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type JurisdictionConfig, loadConfig, loadConfigOrThrow, type TransitionDef } from '@xinfang/core';
import { isExpiry, transitionEntries } from '@xinfang/core/tooling';
import { describe, expect, it } from 'vitest';
import { pathCoverage, STATIC_INVARIANTS, type StaticFinding } from '../../src/compliance/static.js';

const NATIONAL = fileURLToPath(new URL('../../../../configs/national.yaml', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/noncompliant/', import.meta.url));

const national = loadConfigOrThrow(NATIONAL).value;

/** Every invariant's findings, by id (empty lists included). */
function findingsOf(config: JurisdictionConfig): Record<string, StaticFinding[]> {
  return Object.fromEntries(STATIC_INVARIANTS.map((inv) => [inv.id, inv.check(config)]));
}

/** The ids of the invariants that fail. */
function failing(config: JurisdictionConfig): string[] {
  return Object.entries(findingsOf(config))
    .filter(([, f]) => f.length > 0)
    .map(([id]) => id);
}

function invariant(id: string) {
  const found = STATIC_INVARIANTS.find((inv) => inv.id === id);
  if (!found) throw new Error(`no static invariant ${id}`);
  return found;
}

/** A copy of national changed by `edit`: each case below makes one mistake. */
function variant(edit: (c: JurisdictionConfig) => void): JurisdictionConfig {
  const c = structuredClone(national);
  edit(c);
  return c;
}

function state(c: JurisdictionConfig, id: string) {
  const s = c.process.states[id];
  if (!s) throw new Error(`national has no state ${id}`);
  return s;
}

function transition(c: JurisdictionConfig, from: string, event: string): TransitionDef {
  const t = state(c, from).on?.[event];
  if (!t || Array.isArray(t)) throw new Error(`national has no single ${event} in ${from}`);
  return t;
}

/**
 * Follows a path's events through the config from the initial state: the transition of that
 * event in the current state, or, for an expiry the state does not handle, staying put.
 */
function follow(c: JurisdictionConfig, events: string[]): string {
  let at = c.process.initial;
  for (const event of events) {
    const t = state(c, at).on?.[event];
    if (t === undefined && isExpiry(event)) continue;
    if (t === undefined || Array.isArray(t)) throw new Error(`${event} is not a single transition of ${at}`);
    at = t.to ?? at;
  }
  return at;
}

describe('national.yaml', () => {
  it.each(STATIC_INVARIANTS.map((inv) => [inv.id, inv] as const))('holds %s', (_id, inv) => {
    expect(inv.check(national)).toEqual([]);
  });

  it('names each invariant with a stable kebab-case id, a one-line title and a basis', () => {
    const ids = STATIC_INVARIANTS.map((inv) => inv.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        'states-reachable',
        'states-can-leave',
        'states-owe-deadline',
        'path-coverage',
      ]),
    );
    for (const inv of STATIC_INVARIANTS) {
      expect(inv.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(inv.title).not.toMatch(/\n/);
      expect(inv.basis.length).toBeGreaterThan(0);
    }
  });

  it('is covered by paths: every state reached, every transition taken', () => {
    const coverage = pathCoverage(national);
    expect(coverage.uncoveredStates).toEqual([]);
    expect(coverage.uncoveredTransitions).toEqual([]);
    expect(Object.keys(coverage.paths).sort()).toEqual(Object.keys(national.process.states).sort());
  });

  it('gives the shortest paths a case can take, the clock included', () => {
    const { paths } = pathCoverage(national);
    expect(paths.registered).toEqual([]);
    expect(paths.accepted).toEqual(['ACCEPT']);
    expect(paths.returned).toEqual(['TRANSFER', 'OBJECT']);
    // the review window runs from receipt (Reg. 35): it can expire only after RECEIPT
    expect(paths.closed).toEqual(['ACCEPT', 'OPINION', 'RECEIPT', 'reviewWindow.expired']);
    expect(paths['reexamination-hearing']).toEqual([
      'ACCEPT',
      'OPINION',
      'RECEIPT',
      'REQUEST_REVIEW',
      'REVIEW_DECISION',
      'RECEIPT',
      'REQUEST_REEXAMINATION',
      'HOLD_HEARING',
    ]);
  });

  it('gives every transition a path that ends by taking it', () => {
    const coverage = pathCoverage(national);
    for (const id of Object.keys(national.process.states)) {
      expect(follow(national, coverage.paths[id] ?? [])).toBe(id);
    }
    for (const t of coverage.transitions) {
      expect(t.path?.at(-1), t.label).toBe(t.event);
      expect(follow(national, t.path ?? []), t.label).toBe(t.to);
    }
    expect(coverage.transitions.map((t) => t.label)).toContain('transferred -DESIGNATE-> transferred');
    expect(coverage.transitions.map((t) => t.label)).toContain('accepted -EXTEND-> accepted');
  });
});

describe('a config with one mistake fails exactly the invariant that names it', () => {
  it('states-reachable: a state no transition leads to', () => {
    const c = variant((c) => {
      c.process.states['handling-hearing'] = {
        stage: 'hearing',
        on: { HEARING_HELD: { to: 'accepted', roles: ['handler'] } },
      };
    });
    expect(failing(c)).toEqual(['states-reachable']);
    const [f, ...rest] = invariant('states-reachable').check(c);
    expect(rest).toEqual([]);
    expect(f?.state).toBe('handling-hearing');
    expect(f?.message).toContain('"handling-hearing"');
    expect(f?.message).toContain('no transition leads to it');
  });

  it('states-reachable: a state only an unreachable state leads to', () => {
    const c = variant((c) => {
      c.process.states.orphan = {
        stage: 'handling',
        starts: ['handling'],
        on: { GO: { to: 'orphan-2', roles: ['handler'] } },
      };
      c.process.states['orphan-2'] = {
        stage: 'handling',
        starts: ['handling'],
        on: { BACK: { to: 'accepted', roles: ['handler'] } },
      };
    });
    const findings = invariant('states-reachable').check(c);
    expect(findings.map((f) => f.state)).toEqual(['orphan', 'orphan-2']);
    expect(findings[1]?.message).toContain('orphan -GO-> orphan-2');
  });

  it('states-can-leave: a state whose commands all stay in it', () => {
    const c = variant((c) => {
      // `returned` keeps its commands but none moves the case any more
      for (const { alternatives } of transitionEntries(state(c, 'returned'))) {
        for (const alt of alternatives) delete alt.to;
      }
    });
    // `objection-rejected`, reached only from `returned`, is then unreachable too
    expect(failing(c)).toEqual(['states-reachable', 'states-can-leave']);
    const [f, ...rest] = invariant('states-can-leave').check(c);
    expect(rest).toEqual([]);
    expect(f?.state).toBe('returned');
    expect(f?.message).toContain('"returned" (stage registration) cannot be left');
    expect(f?.message).toContain('TRANSFER');
  });

  it('states-can-leave: a self-loop does not leave, and a state in a completed stage need not', () => {
    const c = variant((c) => {
      state(c, 'returned').on = { TRANSFER: { to: 'returned', roles: ['registrar'] } };
    });
    expect(
      invariant('states-can-leave')
        .check(c)
        .map((f) => f.state),
    ).toEqual(['returned']);
    // `diverted` never moves the case on (its commands all stay), and passes: its stage completes the case
    const diverted = Object.values(state(national, 'diverted').on ?? {}).flat();
    expect(diverted.every((t) => t.to === undefined || t.to === 'diverted')).toBe(true);
    expect(invariant('states-can-leave').check(national)).toEqual([]);
  });

  it('states-owe-deadline: a state with no deadline and no reason', () => {
    const c = variant((c) => {
      delete state(c, 'returned').noDeadline;
    });
    expect(failing(c)).toEqual(['states-owe-deadline']);
    const [f, ...rest] = invariant('states-owe-deadline').check(c);
    expect(rest).toEqual([]);
    expect(f?.state).toBe('returned');
    expect(f?.path).toEqual(['TRANSFER', 'OBJECT']);
    expect(f?.message).toContain('"returned"');
    expect(f?.message).toContain('registered -TRANSFER-> transferred -OBJECT-> returned');
  });

  it('states-owe-deadline: a duty running on from the state before counts, a window that ran out does not', () => {
    // A hearing during handling keeps the handling period running (Reg. 34 does not stop it).
    const running = variant((c) => {
      transition(c, 'accepted', 'HOLD_HEARING').to = 'handling-hearing';
      c.process.states['handling-hearing'] = {
        stage: 'hearing',
        on: { HEARING_HELD: { to: 'accepted', roles: ['handler'] } },
      };
    });
    expect(failing(running)).toEqual([]);
    // The same state paused by the handling period: nothing runs there.
    const paused = structuredClone(running);
    const handling = paused.deadlines.handling;
    if (!handling) throw new Error('national has no handling deadline');
    handling.pausedBy = ['handling-hearing'];
    expect(
      invariant('states-owe-deadline')
        .check(paused)
        .map((f) => f.state),
    ).toEqual(['handling-hearing']);
    // A state entered only with the objection window running: once it runs out, nothing does.
    const lapsed = variant((c) => {
      // the objection window is left running into `returned`, as if it were the state's period
      transition(c, 'transferred', 'OBJECT').stops = ['acceptance', 'assignment'];
      delete state(c, 'returned').noDeadline;
    });
    const [f] = invariant('states-owe-deadline').check(lapsed);
    expect(f?.state).toBe('returned');
    expect(f?.path?.at(-1)).toBe('objection.expired');
  });

  it('completion-reachable: a loop with no way out', () => {
    const c = variant((c) => {
      state(c, 'accepted').on = {
        ...state(c, 'accepted').on,
        SUSPEND: { to: 'suspended', roles: ['handler'] },
      };
      c.process.states.suspended = {
        stage: 'handling',
        on: { REQUEST_MATERIALS: { to: 'awaiting-materials', roles: ['handler'] } },
      };
      c.process.states['awaiting-materials'] = {
        stage: 'handling',
        on: { MATERIALS_RECEIVED: { to: 'suspended', roles: ['handler'] } },
      };
    });
    expect(failing(c)).toEqual(['completion-reachable']);
    const findings = invariant('completion-reachable').check(c);
    expect(findings.map((f) => f.state)).toEqual(['suspended', 'awaiting-materials']);
    expect(findings[0]?.message).toContain('"suspended", "awaiting-materials"');
    expect(findings[0]?.path).toEqual(['ACCEPT', 'SUSPEND']);
  });

  it('duty-deadlines-stopped: a duty still running when the case completes', () => {
    const c = variant((c) => {
      transition(c, 'accepted', 'SETTLE').stops = ['assignment'];
    });
    expect(failing(c)).toEqual(['duty-deadlines-stopped']);
    const [f, ...rest] = invariant('duty-deadlines-stopped').check(c);
    expect(rest).toEqual([]);
    expect(f?.state).toBe('settled');
    expect(f?.path).toEqual(['ACCEPT', 'SETTLE']);
    expect(f?.message).toContain('"handling" (reg-2022 art. 34)');
    expect(f?.message).toContain('"settled" (stage closed)');
  });

  it('deadline-transitions-live: commands that wait on a window nobody starts', () => {
    const c = variant((c) => {
      // RECEIPT no longer starts the review window (Reg. 35); the rating window it also starts stays
      const receipt = transition(c, 'opinion-issued', 'RECEIPT');
      receipt.starts = receipt.starts?.filter((d) => d !== 'reviewWindow');
    });
    expect(failing(c)).toEqual(['deadline-transitions-live']);
    const findings = invariant('deadline-transitions-live').check(c);
    expect(findings.map((f) => f.transition)).toEqual([
      'opinion-issued -REQUEST_REVIEW-> in-review',
      'opinion-issued -reviewWindow.expired-> closed',
      // rating a withdrawn case needs the rating window a case withdrawn during review carries,
      // and no case reaches review now: the analysis follows deadlines along whole paths
      'withdrawn -RATE-> withdrawn',
    ]);
    expect(findings[0]?.message).toContain('within reviewWindow');
    expect(findings[0]?.message).toContain('"in-review"');
  });

  it('path-coverage: transitions out of a final state, which no later step may leave', () => {
    const c = variant((c) => {
      state(c, 'review-decided').final = true;
    });
    expect(failing(c)).toEqual(['path-coverage']);
    const [f, ...rest] = invariant('path-coverage').check(c);
    expect(rest).toEqual([]);
    expect(f?.state).toBe('review-decided');
    expect(f?.path).toEqual(['ACCEPT', 'OPINION', 'RECEIPT', 'REQUEST_REVIEW', 'REVIEW_DECISION']);
    expect(f?.message).toContain('"review-decided" (stage opinion) is final');
    expect(f?.message).toContain('RECEIPT, RECORD_EXECUTION, REQUEST_REEXAMINATION');
    expect(f?.message).toContain('"in-reexamination", "reexamination-hearing", "terminated"');
    const coverage = pathCoverage(c);
    expect(coverage.uncoveredStates).toEqual(['in-reexamination', 'reexamination-hearing', 'terminated']);
    const lost = coverage.uncoveredTransitions.filter((t) => t.from === 'review-decided');
    expect(lost.map((t) => t.event)).toContain('REQUEST_REEXAMINATION');
    expect(lost.every((t) => t.cause === 'final')).toBe(true);
  });
});

describe('fixtures under test/fixtures/noncompliant', () => {
  const cases = [
    ['unreachable-state.yaml', 'handling-hearing'],
    ['state-cannot-leave.yaml', 'awaiting-materials'],
    ['state-owes-no-deadline.yaml', 'returned'],
  ] as const;

  it.each(cases)(
    '%s loads, and only the invariant its first line names catches it, naming %s',
    (file, named) => {
      const path = `${FIXTURES}${file}`;
      const id = /^# invariant: (\S+)$/m.exec(readFileSync(path, 'utf8'))?.[1];
      const result = loadConfig(path);
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      if (!result.value || id === undefined) throw new Error(`${file} did not load or names no invariant`);
      expect(failing(result.value)).toEqual([id]);
      const findings = invariant(id).check(result.value);
      expect(findings.map((f) => f.state)).toEqual([named]);
      expect(findings[0]?.message).toContain(`"${named}"`);
    },
  );
});
