/**
 * A service over a real store, the national config and its calendars, on a manual clock; the
 * staff and citizens of national.yaml's illustrative registry signed on by static tokens.
 */

import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type Calendar,
  type CaseStore,
  createDocumentIssuer,
  createEd25519Sealer,
  createEngine,
  type Engine,
  ephemeralIdentityKeys,
  type IdentityKeys,
  type LoadedConfig,
  loadCalendarDir,
  loadConfigOrThrow,
  ManualClock,
} from '@xinfang/core';
import { createSqliteStore } from '@xinfang/storage-sqlite';
import {
  type Authenticator,
  createHttpService,
  type HttpService,
  type HttpServiceOptions,
  type Principal,
  staticTokenAuthenticator,
} from '../src/index.js';

const root = resolve(import.meta.dirname, '../../..');

let cached: { loaded: LoadedConfig; calendars: Map<string, Calendar> } | undefined;
let shaanxiCached: LoadedConfig | undefined;

/** Shaanxi's config (its register of 7 sections), loaded once per file. */
export function shaanxi(): LoadedConfig {
  shaanxiCached ??= loadConfigOrThrow(resolve(root, 'configs/provinces/shaanxi/shaanxi.yaml'), {
    calendars: national().calendars,
  });
  return shaanxiCached;
}

/** national.yaml and its calendars, loaded once per file. */
export function national() {
  if (!cached) {
    const calendars = loadCalendarDir(resolve(root, 'configs/calendars'));
    cached = { loaded: loadConfigOrThrow(resolve(root, 'configs/national.yaml'), { calendars }), calendars };
  }
  return cached;
}

/** Staff of the registry's county units, the city and province reviewers, and two citizens. */
export const USERS: Readonly<Record<string, Principal>> = {
  'token-window': { id: 'u-1001', name: '李登记', roles: ['registrar', 'acceptor'], unit: 'county-bureau' },
  'token-housing': { id: 'u-2001', name: '赵经办', roles: ['acceptor', 'handler'], unit: 'county-housing' },
  'token-hrss': { id: 'u-2101', name: '孙经办', roles: ['acceptor', 'handler'], unit: 'county-hrss' },
  'token-city-review': { id: 'u-3001', roles: ['reviewer'], unit: 'city-gov' },
  'token-land': { id: 'u-2201', roles: ['acceptor', 'handler'], unit: 'county-land' },
  'token-citizen': { id: 'c-7001', name: '王五', roles: ['petitioner'] },
  'token-citizen-2': { id: 'c-7002', name: '郑六', roles: ['petitioner'] },
};

/** Day 0: Monday 2026-03-02, 09:00 in Beijing. */
export const DAY = 86_400_000;
export const START = '2026-03-02T09:00:00+08:00';

/** An online petition of 王五 about housing, to the county petition bureau. */
export const ONLINE_PETITION = {
  channel: 'online',
  receivedAt: '2026-03-02',
  receivingUnit: 'county-bureau',
  petitioner: {
    name: '王五',
    idNumber: '110101197003030303',
    phone: '13700000000',
    address: '示范县新村 3 栋',
  },
  subject: 'housing',
  summary: '小区加装电梯审批未公示',
  request: '撤销加装电梯审批',
  respondentUnit: 'county-housing',
};

/** A letter: the petitioner has no account and follows the case with a query code. */
export function letter(n: number, overrides: Record<string, unknown> = {}) {
  return {
    channel: 'letter',
    receivedAt: '2026-03-02',
    receivingUnit: 'county-bureau',
    petitioner: {
      name: `刘${n}`,
      idNumber: `11010119800101${String(1000 + n)}`,
      phone: '13900000000',
      address: '示范县人民路 2 号',
    },
    subject: 'labour',
    summary: '单位拖欠工资',
    request: '支付拖欠工资',
    respondentUnit: 'county-hrss',
    ...overrides,
  };
}

/** A service under test. */
export interface Harness {
  service: HttpService;
  engine: Engine;
  store: CaseStore;
  clock: ManualClock;
  close(): Promise<void>;
}

/** A service on `store` (default: a new SQLite file in a temporary directory). */
export async function harness(
  options: {
    store?: CaseStore;
    authenticators?: Authenticator[];
    schedule?: HttpServiceOptions['schedule'];
    owner?: string;
    /** Instances sharing a store share its secret. */
    identityKeys?: IdentityKeys;
    /** Serve without handing the service its store (the reports then answer 501). */
    withoutStore?: boolean;
    /** The config served (default: national.yaml). */
    loaded?: LoadedConfig;
  } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'xinfang-http-'));
  const store = options.store ?? createSqliteStore({ path: join(dir, 'cases.sqlite') });
  const clock = new ManualClock(START);
  const { calendars } = national();
  const loaded = options.loaded ?? national().loaded;
  const { privateKey } = generateKeyPairSync('ed25519');
  const sealer = createEd25519Sealer({
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  });
  const engine = createEngine({
    configs: [loaded.value],
    store,
    clock,
    calendars,
    identityKeys: options.identityKeys ?? ephemeralIdentityKeys('http-test'),
    ...(options.owner ? { owner: options.owner } : {}),
    documents: createDocumentIssuer({ store, templates: loaded.templates, sealer }),
  });
  const service = await createHttpService({
    engine,
    config: loaded.value,
    authenticators: options.authenticators ?? [staticTokenAuthenticator(USERS)],
    clock,
    verifyKey: sealer,
    ...(options.withoutStore ? {} : { store }),
    ...(options.schedule ? { schedule: options.schedule } : {}),
  });
  return {
    service,
    engine,
    store,
    clock,
    async close() {
      await service.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A response body as tests read it: any JSON. */
// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies loosely and assert on them
export type Body = Record<string, any>;

/** A request through `fastify.inject` as `token` (from loopback, as a local client). */
export async function call(
  h: Harness,
  token: string | undefined,
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await h.service.app.inject({
    method,
    url,
    remoteAddress: '127.0.0.1',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(body !== undefined ? { payload: body as Record<string, unknown> } : {}),
  });
  return {
    status: res.statusCode,
    headers: res.headers,
    body: res.body ? (tryJson(res.body) as Body) : {},
  };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
