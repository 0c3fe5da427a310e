/** Shared set-up of the document tests: national's templates, a test key, an issuer over a store. */

import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { CaseData } from '../../src/compiler/types.js';
import { loadConfigOrThrow } from '../../src/config/index.js';
import { createDocumentIssuer, createEd25519Sealer, type Sealer } from '../../src/documents/index.js';
import type { CaseStore, JsonObject } from '../../src/store/types.js';

export const root = fileURLToPath(new URL('../../../../', import.meta.url));

let loaded: ReturnType<typeof loadConfigOrThrow> | undefined;

/** national.yaml with its template paths, loaded once per file. */
export function national() {
  loaded ??= loadConfigOrThrow(`${root}configs/national.yaml`);
  return loaded;
}

/** A fresh Ed25519 key pair and its sealer (tests only: production keys come from the embedder). */
export function testSealer(keyId?: string): { sealer: Sealer; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    sealer: createEd25519Sealer({ privateKey, publicKey, ...(keyId ? { keyId } : {}) }),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/**
 * Issues, for a case, every document row the engine has written and this helper has not
 * issued yet, as the engine will once the lead wires `issueRow` into its append: from the
 * case data right after the step and the step's own deadline records.
 */
export function documentDesk(store: CaseStore, sealer: Sealer) {
  const { value: config, templates } = national();
  const issuer = createDocumentIssuer({ store, sealer, templates });
  const issued = new Map<string, JsonObject>();
  return {
    issued,
    /** `before`: the case data before the step (the projection read before sending). */
    async issueNew(caseId: string, before?: CaseData): Promise<JsonObject[]> {
      const projection = await store.getCase(caseId);
      const events = await store.events(caseId);
      const out: JsonObject[] = [];
      for (const row of await store.outbox({ caseId })) {
        if (row.kind !== 'document' || issued.has(row.id)) continue;
        const event = events.find((e) => e.seq === row.seq);
        const payload = await issuer.issueRow(row, {
          config,
          data: projection?.data as unknown as CaseData,
          ...(before ? { before } : {}),
          deadlines: (event?.payload.deadlines as JsonObject[] | undefined) ?? [],
          ...(event ? { actor: event.actor } : {}),
        });
        issued.set(row.id, payload);
        out.push(payload);
      }
      return out;
    },
  };
}
