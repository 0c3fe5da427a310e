/**
 * Loading a jurisdiction config: parse, schema, `extends` merge (`config/`), then the
 * whole-config checks that need the layers above config: the compiler's guard and action
 * tables, the rule sets, the document templates.
 */

export type { ConfigSource, LoadedConfig, LoadOptions, LoadResult } from './load.js';
export { loadConfig, loadConfigOrThrow, parseConfigText } from './load.js';
export type {
  DeadlineRule,
  MigrationPlan,
  PlanCondition,
  PlanContext,
  PlanDeadline,
  PlanLoadResult,
  StateRoute,
} from './plan.js';
export { loadPlan, loadPlanOrThrow, parsePlanText, planHash, planVersions } from './plan.js';
