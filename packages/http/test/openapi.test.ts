import { compileErrors, validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Harness, harness, national } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => h.close());

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 and describes every route of the API', async () => {
    const r = await call(h, undefined, 'GET', '/openapi.json');
    expect(r.status).toBe(200);
    const doc = r.body;
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc) as Parameters<typeof validate>[0]);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);

    const documented = h.service.routes.filter((x) => x.documented && x.method !== 'HEAD');
    expect(documented.length).toBeGreaterThan(10);
    for (const route of documented) {
      const path = route.url.replace(/:([A-Za-z]+)/g, '{$1}');
      expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.url}`).toBeDefined();
    }
    // the reports, with the filters they take
    const metrics = doc.paths['/reports/metrics']?.get;
    const by = metrics?.parameters.find((x: { name: string }) => x.name === 'by');
    expect(by?.schema.enum).toEqual(['unit', 'region', 'kind']);
    expect(doc.paths['/reports/annual']?.get.parameters.map((x: { name: string }) => x.name)).toContain(
      'year',
    );
    expect(doc.paths['/reports/legalization-index']?.get.tags).toEqual(['reports']);
    // the board's answers are described, what a case owes included
    const owes =
      doc.paths['/board'].get.responses['200'].content['application/json'].schema.properties.cases.items
        .properties.owes;
    expect(owes.items.required).toContain('text');
    // the undocumented routes are the pages, their assets, the document itself and its viewer
    for (const route of h.service.routes.filter((x) => !x.documented)) {
      expect(route.url).toMatch(/^\/(my|staff|assets|openapi\.json|docs)/);
    }
  });

  it("describes the bodies with the config's own schemas", async () => {
    const doc = (await call(h, undefined, 'GET', '/openapi.json')).body;
    const { loaded } = national();
    const petition = doc.paths['/petitions'].post.requestBody.content['application/json'].schema;
    expect(petition.required).toEqual(loaded.value.form.schema.required);
    const command = doc.paths['/cases/{id}/commands'].post.requestBody.content['application/json'].schema;
    const rate = command.oneOf.find((o: { title: string }) => o.title === 'RATE');
    expect(rate.properties.payload.properties.rating.enum).toEqual([
      'satisfied',
      'basically-satisfied',
      'dissatisfied',
    ]);
    expect(rate.required).toEqual(['type', 'payload']);
    // the browsable docs
    const entry = await call(h, undefined, 'GET', '/docs');
    const ui = entry.status === 302 ? await call(h, undefined, 'GET', String(entry.headers.location)) : entry;
    expect(ui.status).toBe(200);
    expect(String(ui.body)).toMatch(/swagger-ui/i);
  });
});
