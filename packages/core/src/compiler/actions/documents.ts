/** Document actions: the documents a step owes, for the engine to put in the outbox. */

import { type ActionImpl, addEffects } from './types.js';

/**
 * Owes a document to its recipient. A notice marked `waivedWhenIdentityUnclear` is not owed
 * when the petitioner cannot be written to (Reg. 23); the waiver is recorded all the same. A
 * document owed twice by one step (a transition's `issues` and an extension's `notice`) is
 * owed once.
 */
export const issueDocument: ActionImpl = {
  params: ['document'],
  apply(args, { document }) {
    const id = String(document);
    const def = args.config.documents[id];
    if (!def) return args.context;
    if (args.context.effects.some((e) => e.kind === 'document' && e.document === id)) return args.context;
    const waived =
      def.waivedWhenIdentityUnclear && !args.context.data.identityKnown
        ? 'petitioner name or address unclear (reg-2022 art. 23)'
        : undefined;
    return addEffects(args.context, { kind: 'document', document: id, ...(waived ? { waived } : {}) });
  },
};
