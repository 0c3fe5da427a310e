/**
 * `@xinfang/configs` ships the repository's configs/ folder: the loaders take its files by the
 * package's name, resolved as an import is from the current folder, and read the very files of
 * configs/ (the package links to them; `npm pack` copies them in).
 */

import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCalendarDir, loadCalendarFile, loadConfig } from '../../src/index.js';

const root = join(import.meta.dirname, '../../../..');
const before = process.cwd();
afterEach(() => process.chdir(before));

describe('configs by package name', () => {
  it('loads national and a province by name, the same config as by path', () => {
    process.chdir(root);
    const byName = loadConfig('@xinfang/configs/national.yaml');
    const byPath = loadConfig('configs/national.yaml');
    expect(byName.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(byName.hash).toBe(byPath.hash);
    const province = loadConfig('@xinfang/configs/provinces/shaanxi/shaanxi.yaml');
    expect(province.value?.jurisdiction.id).toBe(
      loadConfig('configs/provinces/shaanxi/shaanxi.yaml').value?.jurisdiction.id,
    );
    expect(realpathSync(join(root, 'packages/configs/national.yaml'))).toBe(
      realpathSync(join(root, 'configs/national.yaml')),
    );
  });

  it('loads the calendars by name', () => {
    process.chdir(root);
    expect([...loadCalendarDir('@xinfang/configs/calendars').keys()]).toEqual(['cn-mainland']);
    expect(loadCalendarFile('@xinfang/configs/calendars/cn-mainland.yaml').id).toBe('cn-mainland');
  });

  it('a package that is not installed is a missing file, with a coded diagnostic', () => {
    process.chdir(root);
    const r = loadConfig('@xinfang/no-such-package/national.yaml');
    expect(r.value).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toContain('CONFIG_FILE_NOT_FOUND');
    expect(() => loadCalendarDir('@xinfang/no-such-package/calendars')).toThrow(/cannot be read/);
  });
});
