/** Template checks at load and strict rendering. */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  basisText,
  checkTemplates,
  DOCUMENT_VARIABLES,
  renderTemplate,
  textToHtml,
} from '../../src/documents/index.js';
import { loadConfig } from '../../src/loader/index.js';
import { national, root } from './helpers.js';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'xinfang-tpl-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const doc = (variables?: string[]) => ({
  name: '测试告知书',
  template: 'x.liquid',
  to: 'petitioner' as const,
  basis: 'reg-2022 art. 23',
  ...(variables ? { variables } : {}),
});

describe('checkTemplates', () => {
  it('passes every national template against its declared variables', () => {
    const { value, templates } = national();
    expect(checkTemplates(value, templates)).toEqual([]);
    for (const [id, def] of Object.entries(value.documents)) {
      expect(def.variables, id).toBeDefined();
      for (const v of def.variables ?? [])
        expect(Object.keys(DOCUMENT_VARIABLES), `${id}: ${v}`).toContain(v);
    }
  });

  it('names the file and line of a variable the context never provides, with a suggestion', () => {
    const dir = dirWith({
      'x.liquid': '{{ body.name }}\n\n{{ petitioner.name }}：\n    于{{ case.recievedAt }}收到。\n',
    });
    const ds = checkTemplates({ documents: { x: doc() } }, { x: join(dir, 'x.liquid') });
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({
      severity: 'error',
      code: 'CONFIG_TEMPLATE',
      file: join(dir, 'x.liquid'),
      line: 4,
      pointer: '/documents/x/template',
      hint: 'did you mean case.receivedAt?',
      sourceLine: '    于{{ case.recievedAt }}收到。',
    });
    expect(ds[0]?.message).toContain('case.recievedAt');
  });

  it('fails loadConfig on a province template naming a missing variable, at its line', () => {
    const dir = dirWith({
      'acceptance.liquid':
        '{{ body.name }}\n\n{{ petitioner.name }}：\n    本机关已于{{ case.acceptedOn }}受理。\n',
    });
    writeFileSync(
      join(dir, 'province.yaml'),
      [
        `extends: ${relative(dir, join(root, 'configs/national.yaml'))}`,
        'jurisdiction: { id: cn.test, name: 测试省, version: "1" }',
        'documents:',
        '  acceptance-notice:',
        '    template: acceptance.liquid',
        '    variables: [body.name, petitioner.name, case.acceptedOn]',
      ].join('\n'),
    );
    const loaded = loadConfig(join(dir, 'province.yaml'), { allowedRoots: [join(root, 'configs')] });
    expect(loaded.value).toBeUndefined();
    const ds = loaded.diagnostics.filter((d) => d.severity === 'error');
    expect(ds.map((d) => d.code)).toEqual(['CONFIG_TEMPLATE']);
    expect(ds.map((d) => [d.file.split('/').at(-1), d.line, d.column, d.hint])).toEqual([
      ['acceptance.liquid', 4, 13, 'did you mean case.acceptedAt?'],
    ]);
  });

  it('reports declared variables the template does not use, syntax errors and unknown filters', () => {
    const dir = dirWith({
      'x.liquid': '{{ body.name }}\n',
      'y.liquid': '{{ body.name }}\n{% if case.id %}\n',
      'z.liquid': '{{ body.name | shout }}\n',
    });
    const ds = checkTemplates(
      { documents: { x: doc(['body.name', 'doc.number']), y: doc(), z: doc() } },
      { x: join(dir, 'x.liquid'), y: join(dir, 'y.liquid'), z: join(dir, 'z.liquid') },
      { locate: (id) => ({ file: 'national.yaml', line: id === 'x' ? 40 : 1, column: 5 }) },
    );
    expect(ds.map((d) => [d.file.split('/').at(-1), d.line, d.pointer])).toEqual([
      ['national.yaml', 40, '/documents/x/variables'],
      ['y.liquid', 2, '/documents/y/template'],
      ['z.liquid', 1, '/documents/z/template'],
    ]);
    expect(ds[0]?.message).toContain('doc.number');
    expect(ds[2]?.message).toContain('shout');
  });
});

describe('renderTemplate', () => {
  it('fails on a variable the step did not provide, never renders a blank', async () => {
    const dir = dirWith({ 'x.liquid': '{{ petitioner.name }}：\n延长至{{ decision.newDue }}。\n' });
    const err = await renderTemplate(
      join(dir, 'x.liquid'),
      { petitioner: { name: '张三' }, decision: {} },
      {
        documentId: 'x',
      },
    ).catch((e) => e);
    expect(err).toMatchObject({ code: 'TEMPLATE_RENDER', details: { variable: 'decision.newDue', line: 2 } });
  });

  it('keeps includes inside the template directory', async () => {
    const dir = dirWith({ 'x.liquid': "{% include '../../../etc/passwd' %}" });
    const err = await renderTemplate(join(dir, 'x.liquid'), {}).catch((e) => e);
    expect(err).toMatchObject({ code: 'TEMPLATE_RENDER' });
  });

  it('renders plain text, and HTML with the petitioner’s words escaped', async () => {
    const dir = dirWith({ 'x.liquid': '{{ petitioner.name }}：\n    反映“{{ case.summary }}”。\n' });
    const r = await renderTemplate(join(dir, 'x.liquid'), {
      petitioner: { name: '李四' },
      case: { summary: '<script>alert(1)</script> & 拖欠' },
    });
    expect(r.text).toBe('李四：\n    反映“<script>alert(1)</script> & 拖欠”。\n');
    expect(r.html).toContain(
      '<p style="text-indent:2em">反映“&lt;script&gt;alert(1)&lt;/script&gt; &amp; 拖欠”。</p>',
    );
    expect(r.html).not.toContain('<script>');
    expect(textToHtml('a\n\nb')).toContain('<p>a</p>\n<br>\n<p>b</p>');
  });

  it('cites bases in Chinese down to the item', () => {
    expect(basisText('reg-2022 art. 23')).toBe('《信访工作条例》第二十三条');
    expect(basisText('reg-2022 art. 35-36')).toBe('《信访工作条例》第三十五条至第三十六条');
    expect(basisText('reg-2022 art. 31, 36')).toBe('《信访工作条例》第三十一条、第三十六条');
    expect(basisText('reg-2022 art. 31 (1)')).toBe('《信访工作条例》第三十一条第（一）项');
    expect(basisText('practice (a petition is the petitioner’s own act)')).toBeUndefined();
  });
});
