import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/config/index.js';
import { loadConfig } from '../../src/loader/index.js';

// Every jurisdiction config the project ships must load without an error.
const configs = join(import.meta.dirname, '../../../../configs');
const files = readdirSync(configs)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

describe('the configs shipped in configs/', () => {
  it('include the national baseline', () => {
    expect(files).toContain('national.yaml');
  });

  it.each(files)('%s loads without an error', (file) => {
    const r = loadConfig(join(configs, file));
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map(formatDiagnostic).join('\n\n')).toBe('');
    expect(r.value).toBeDefined();
  });
});
