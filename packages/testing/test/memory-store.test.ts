import { fileURLToPath } from 'node:url';
import { createMemoryStore, loadCalendarFile, loadConfigOrThrow } from '@xinfang/core';
import { accessMatrix, storeConformance } from '../src/index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

storeConformance('in-memory', async () => ({ store: createMemoryStore() }));

accessMatrix(
  'in-memory',
  async () => ({ store: createMemoryStore() }),
  () => ({
    config: loadConfigOrThrow(`${root}configs/national.yaml`).value,
    calendar: loadCalendarFile(`${root}configs/calendars/cn-mainland.yaml`),
  }),
);
