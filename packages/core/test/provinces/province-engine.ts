/**
 * An engine over a province's config on a memory store, issuing the province's documents from
 * the templates its config resolves (its own where it has them, national's otherwise), so a
 * test reads the text a petitioner would receive.
 */

import { ManualClock } from '../../src/base/clock.js';
import { createDocumentIssuer } from '../../src/documents/index.js';
import { createEngine } from '../../src/engine/index.js';
import type { LoadedConfig } from '../../src/loader/index.js';
import { createMemoryStore } from '../../src/store/index.js';
import { TEST_IDENTITY_KEYS } from '../keys.js';
import { calendarsDir } from './province.js';

/** A fresh engine for `loaded`, the clock at `start` (ISO with offset). */
export function provinceEngine(loaded: LoadedConfig, start: string) {
  const store = createMemoryStore();
  const clock = new ManualClock(start);
  const documents = createDocumentIssuer({ store, templates: loaded.templates });
  const engine = createEngine({
    configs: [loaded.value],
    calendars: calendarsDir(),
    store,
    clock,
    documents,
    identityKeys: TEST_IDENTITY_KEYS,
  });
  /** The rendered text of each document issued to the case, by document id (the latest of each). */
  const texts = async (caseId: string): Promise<Record<string, string>> => {
    const rows = (await store.outbox({ caseId })).filter((r) => r.kind === 'document');
    return Object.fromEntries(rows.map((r) => [String(r.payload.documentId), String(r.payload.text)]));
  };
  return { engine, store, clock, texts };
}
