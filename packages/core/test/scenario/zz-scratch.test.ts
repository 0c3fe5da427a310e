import { fileURLToPath } from 'node:url';
import { it } from 'vitest';
import { loadCalendarDir } from '../../src/calendar/index.js';
import { loadConfigOrThrow } from '../../src/config/index.js';
import { loadScenarioFile, runScenario } from '../../src/scenario/index.js';
const root = fileURLToPath(new URL('../../../../', import.meta.url));
it('scratch', async () => {
  const config = loadConfigOrThrow(`${root}configs/national.yaml`).value;
  const calendars = loadCalendarDir(`${root}configs/calendars`);
  for (const f of (process.env.FILES ?? '').split(',')) {
    const src = loadScenarioFile(`${root}${f}`);
    if (!src.value) { console.log(src.diagnostics); continue; }
    const r = await runScenario(config, src.value, { calendars, locate: src.locate });
    console.log(f, JSON.stringify(r.failures.map((x) => `${x.line} step ${x.step}: ${x.message}`), null, 1));
  }
});
