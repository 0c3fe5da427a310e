// Module hooks (node:module `register`): load `.ts` files by stripping their types with
// esbuild. Each file is compiled on its own (no type check: `tsc --noEmit` does that).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

/**
 * TypeScript sources import each other as `./x.js` (what the build emits); when no such file
 * exists beside a `.ts` importer, the `.ts` source is meant.
 */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (e) {
    const fromTs = context.parentURL?.startsWith('file:') && context.parentURL.endsWith('.ts');
    if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !fromTs || !specifier.endsWith('.js')) throw e;
    return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const { code } = await transform(await readFile(path, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    // the sources use import attributes (`with { type: 'json' }`), which Node 20.19 has
    target: 'node20.19',
    sourcefile: path,
    // with `node --enable-source-maps`, stack traces point at the TypeScript lines
    sourcemap: 'inline',
  });
  return { format: 'module', source: code, shortCircuit: true };
}
