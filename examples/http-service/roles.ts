/**
 * The province's own users and roles, and how they become xinfang actors.
 *
 * The service already has its users, with roles named the way the province's staff directory
 * names them, and departments coded its own way. xinfang knows only the roles and units of the
 * jurisdiction config. These two tables are the whole translation; change them, not the config,
 * when the service's organisation changes.
 */

import type { ActorRef, JurisdictionConfig } from '@xinfang/core';

/** The service's own roles. */
export type ServiceRole =
  | '窗口登记员'
  | '业务处室经办人'
  | '分管领导'
  | '复查复核经办人'
  | '督查专员'
  | '群众';

/**
 * The xinfang roles each service role may act in, first the one used to read cases. One
 * service role can cover several xinfang roles: the same clerk of a department decides
 * acceptance and drafts the opinion.
 */
export const ROLE_MAP: Readonly<Record<ServiceRole, readonly string[]>> = {
  窗口登记员: ['registrar'],
  业务处室经办人: ['acceptor', 'handler'],
  分管领导: ['head'],
  复查复核经办人: ['reviewer', 'reexaminer'],
  督查专员: ['supervisor'],
  群众: ['petitioner'],
};

/** The service's department codes and the unit of the config's registry each one acts for. */
export const DEPARTMENT_UNITS: Readonly<Record<string, string>> = {
  'XF-0121': 'county-bureau', // 示范县信访局
  'ZJ-0121': 'county-housing', // 示范县住房和城乡建设局
  'RS-0121': 'county-hrss', // 示范县人力资源和社会保障局
  'ZF-0100': 'city-gov', // 示范市人民政府
  'XF-0100': 'city-bureau', // 示范市信访局
  'ZF-9900': 'prov-gov', // 示范省人民政府
};

/** A user as the service knows it. Members of the public have no department. */
export interface ServiceUser {
  id: string;
  name: string;
  role: ServiceRole;
  department?: string;
}

/**
 * An example token table, standing in for the service's real sign-on (a session, an OAuth
 * token, a government single sign-on). Never ship a table like this.
 */
export const EXAMPLE_USERS: Readonly<Record<string, ServiceUser>> = {
  'token-window': { id: 'u-1001', name: '李登记', role: '窗口登记员', department: 'XF-0121' },
  'token-housing': { id: 'u-2001', name: '赵经办', role: '业务处室经办人', department: 'ZJ-0121' },
  'token-housing-head': { id: 'u-2002', name: '钱领导', role: '分管领导', department: 'ZJ-0121' },
  'token-city-review': { id: 'u-3001', name: '孙复查', role: '复查复核经办人', department: 'ZF-0100' },
  'token-province-review': { id: 'u-4001', name: '周复核', role: '复查复核经办人', department: 'ZF-9900' },
  'token-inspector': { id: 'u-5001', name: '吴督查', role: '督查专员', department: 'XF-0100' },
  'token-citizen': { id: 'c-7001', name: '王五', role: '群众' },
  'token-citizen-2': { id: 'c-7002', name: '郑六', role: '群众' },
};

/** Whether the user is a member of the public (who sees only their own cases). */
export function isPublic(user: ServiceUser): boolean {
  return ROLE_MAP[user.role].every((r) => r === 'petitioner');
}

/** The user acting in one xinfang role: staff act for their department's unit. */
export function actorFor(user: ServiceUser, role: string = ROLE_MAP[user.role][0] ?? ''): ActorRef {
  const unit = user.department === undefined ? undefined : DEPARTMENT_UNITS[user.department];
  // an unmapped department reaches the engine without a unit, which refuses it (ACTOR_INVALID)
  return { id: user.id, role, name: user.name, ...(unit ? { unit } : {}) };
}

/**
 * The xinfang role the user sends `command` in: the first of theirs that the config names for
 * that command in any state. The engine checks the role again in the case's actual state, so
 * a user with none of them is sent in their first role and refused there (403).
 */
export function roleForCommand(config: JurisdictionConfig, user: ServiceUser, command: string): string {
  const mine = ROLE_MAP[user.role];
  const named = new Set<string>();
  for (const state of Object.values(config.process.states)) {
    const on = state.on?.[command];
    for (const t of Array.isArray(on) ? on : on ? [on] : []) for (const r of t.roles) named.add(r);
  }
  return mine.find((r) => named.has(r)) ?? mine[0] ?? '';
}

/** The role the user registers a petition in: staff as registrar; the public as petitioner (online). */
export function roleForSubmit(user: ServiceUser): string {
  const mine = ROLE_MAP[user.role];
  return mine.includes('registrar') ? 'registrar' : (mine[0] ?? '');
}
