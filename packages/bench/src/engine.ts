/**
 * The engine beside raw XState. The same case path (register, accept, extend, opinion,
 * receipt, review request, review decision) runs once through XState's pure `transition()` on
 * the compiled machine (the floor: guards and assigns only) and once through the engine with
 * the in-memory store (payload validation, authority, deadline arithmetic on the holiday
 * calendar, hashing, the store's append). The ratio is what the engine adds per transition.
 */

import {
  type ActorRef,
  createEngine,
  createMemoryStore,
  ephemeralIdentityKeys,
  type JurisdictionConfig,
  loadCalendarFile,
  loadConfigOrThrow,
  ManualClock,
} from '@xinfang/core';
import { compileConfig } from '@xinfang/core/tooling';
import { initialTransition, transition } from 'xstate';
import { measure, printTable } from './measure.js';
import { ACTORS, bureau, findUp, PATH, PETITION } from './review-path.js';

/** Cases per side; each runs `PATH.length + 1` transitions (the registration included). */
const CASES = 2_000;

/** Runs the benchmark and prints its table. */
export async function run(): Promise<void> {
  const config: JurisdictionConfig = loadConfigOrThrow(findUp('configs/national.yaml')).value;
  const calendar = loadCalendarFile(findUp('configs/calendars/cn-mainland.yaml'));
  const compiled = compileConfig(config);
  const at = '2026-03-02T01:00:00.000Z';
  const perCase = PATH.length + 1;

  // The raw side. Its window guard needs the review window's due date, which the engine
  // computes on the calendar; here it is set by hand after the receipt.
  const raw = await measure(`raw XState transition() (${perCase} per case)`, CASES, (i) => {
    let [snap] = initialTransition(compiled.machine, {
      caseId: `B-${i}`,
      petition: PETITION,
      registeringUnit: bureau,
      petitionerId: 'p-1',
      identityKnown: true,
      actor: ACTORS.registrar as ActorRef,
      at,
    });
    for (const s of PATH) {
      const base = compiled.machine.resolveState({
        value: snap.value,
        context: { ...snap.context, effects: [] },
      });
      [snap] = transition(compiled.machine, base, {
        type: s.type,
        payload: s.payload,
        actor: ACTORS[s.as] as ActorRef,
        at,
      });
      const w = snap.context.data.deadlines.reviewWindow;
      if (w && w.dueAt === undefined) w.dueAt = '2026-04-02T16:00:00.000Z';
    }
    if (String(snap.value) !== 'review-decided') throw new Error(`raw path ended in ${String(snap.value)}`);
  });

  const store = createMemoryStore();
  const clock = new ManualClock('2026-03-02T09:00:00+08:00');
  const engine = createEngine({
    configs: [config],
    store,
    clock,
    calendars: [calendar],
    identityKeys: ephemeralIdentityKeys('bench'),
  });
  // each case has its own petitioner: the engine looks up a petitioner's earlier cases on
  // submit (repeat petitions, Reg. 19 and 36), which one petitioner with thousands of cases
  // would turn into a different benchmark
  const eng = await measure(`engine + memory store (${perCase} per case)`, CASES, async (i) => {
    const petitioner = { id: `p-${i}`, role: 'petitioner' };
    const petition = {
      ...PETITION,
      petitioner: { name: '张三', phone: `138${String(i).padStart(8, '0')}`, address: '示范县人民路 1 号' },
    };
    const { caseId } = await engine.submit(petition, ACTORS.registrar as ActorRef, {
      petitionerId: petitioner.id,
    });
    let state = '';
    for (const s of PATH) {
      const actor = s.as === 'petitioner' ? petitioner : (ACTORS[s.as] as ActorRef);
      state = (await engine.send(caseId, { type: s.type, payload: s.payload }, actor)).state;
    }
    if (state !== 'review-decided') throw new Error(`engine path ended in ${state}`);
  });

  // Per transition rather than per case, so the rates read as transitions per second.
  const perTransition = (m: typeof raw) => ({ ...m, ops: m.ops * perCase, rate: m.rate * perCase });
  printTable('engine vs raw XState: transitions per second (national.yaml, review path)', [
    perTransition(raw),
    perTransition(eng),
  ]);
  console.log(
    `\nthe engine runs at ${((eng.rate / raw.rate) * 100).toFixed(1)}% of raw XState (ratio ${(eng.rate / raw.rate).toFixed(4)})`,
  );
  await store.close();
}
