import { createMemoryStore } from '@xinfang/core';
import { storeConformance } from '../src/index.js';

storeConformance('in-memory', async () => ({ store: createMemoryStore() }));
