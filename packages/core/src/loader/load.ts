import { dirname, join, relative, resolve } from 'node:path';
import { ConfigError, type Diagnostic } from '../base/diagnostics.js';
import {
  allowedRoots,
  DEFAULT_MAX_FILE_BYTES,
  type FileAccess,
  packagePath,
  readConfinedFile,
  realPathOf,
} from '../base/files.js';
import {
  type Calendar,
  CalendarDataError,
  isTimezone,
  type NamedDay,
  parseCalendar,
} from '../calendar/index.js';
// the compiler's own tables: a name the loader accepts is one the machine implements. These
// modules import nothing of config but its types, so there is no cycle.
import { CONFIG_ACTIONS, KNOWN_ACTIONS } from '../compiler/actions/index.js';
import { GUARDS, KNOWN_GUARDS } from '../compiler/guards/index.js';
import { checkDuplicateIds, checkReferences, entriesOf, isRec } from '../config/checks.js';
import { dropCommon, expandCommon } from '../config/common.js';
import { configHash } from '../config/hash.js';
import {
  fromTree,
  locateResolved,
  mergeTrees,
  type Origin,
  type Removal,
  type Tree,
  toTree,
} from '../config/merge.js';
import type { Locale } from '../config/messages.js';
import { reservedNames } from '../config/reserved.js';
import { checkRestrictions } from '../config/restrictions.js';
import { jurisdictionSchema } from '../config/schema.js';
import type { JurisdictionConfig } from '../config/types.js';
import {
  makeDiagnostic,
  type Path,
  type Position,
  parseYamlSource,
  validateWithSchema,
  type YamlSource,
} from '../config/yaml-source.js';
import { checkTemplates } from '../documents/check.js';
import { checkRuleSets } from '../rules/check.js';
import { checkLadder } from './ladder.js';
import { checkReference, readReference, refusalDiagnostic } from './references.js';
import { checkEmbeddedSchemas } from './schemas.js';

/** Options of {@link loadConfig} and {@link parseConfigText}. */
export interface LoadOptions {
  /** Language of the messages. @default 'en' */
  locale?: Locale;
  /** Guard types a transition may name. @default KNOWN_GUARDS (the compiler's) */
  knownGuards?: readonly string[];
  /** Action types a transition may name. @default KNOWN_ACTIONS (the compiler's) */
  knownActions?: readonly string[];
  /** Facts the embedding adds to the built-in ones, which rules may name (see `checkRuleSets`). */
  extraFacts?: readonly string[];
  /**
   * Calendars already loaded, by id. A calendar not found here is read from
   * `calendars/<id>.yaml` beside the root config of the `extends` chain (then beside each
   * other file of the chain).
   */
  calendars?: ReadonlyMap<string, Calendar>;
  /**
   * Finds the parent named by `extends`: `target` as written, `from` the file that wrote it.
   * Returns the parent's file name (as it should appear in diagnostics) and text, or
   * undefined when there is none. A resolver given here is trusted: the access rules
   * (`allowedRoots`, `maxFileBytes`) are its to apply. @default reads `target` relative to
   * `from`'s directory (or in the package it names) under the access rules
   */
  resolveExtends?: (target: string, from: string) => { file: string; text: string } | undefined;
  /** Whether a template file exists. @default a regular file under the allowed roots, within `maxFileBytes` */
  fileExists?: (path: string) => boolean;
  /**
   * Folders, besides the defaults, that `extends`, templates and calendars may be read from. The
   * defaults: the project root holding the config (its git working tree, else the npm workspace
   * or package around it, else the config's own folder; `projectRootOf`), and the folder of a
   * package named by its name (`extends: '@xinfang/configs/national.yaml'`).
   */
  allowedRoots?: readonly string[];
  /** The largest config, template or calendar file read, in bytes. @default 1 MiB ({@link DEFAULT_MAX_FILE_BYTES}) */
  maxFileBytes?: number;
  /** Check that each document's template file exists. @default true */
  checkTemplates?: boolean;
  /**
   * How a child's breach of its parent's restrictions (a lengthened statutory deadline, a removed
   * statutory notice, a dropped stage) is reported. `warning` loads the config anyway, so an
   * auditor's `xinfang check` can show what the breach does to real cases. @default 'error'
   */
  restrictions?: 'error' | 'warning';
}

/** One file of an `extends` chain, child first. */
export interface ConfigSource {
  file: string;
  text: string;
  /** The parent file this one extends, as resolved. */
  extends?: string;
}

/** What loading a config gives: the value only when there is no error. */
export interface LoadResult {
  value?: JurisdictionConfig;
  /** Every problem found, errors and warnings, in file order. */
  diagnostics: Diagnostic[];
  /** The files read: the config, then its ancestors. */
  sources: ConfigSource[];
  /** SHA-256 of the resolved config ({@link configHash}), when it is valid. */
  hash?: string;
  /** Absolute path of each document's template, resolved against the file that names it. */
  templates: Record<string, string>;
}

/** A loaded config that has no error. */
export interface LoadedConfig extends LoadResult {
  value: JurisdictionConfig;
  hash: string;
}

/** The path of a JSON pointer (`/ruleSets/a~1b/rules/0` -> `ruleSets`, `a/b`, `rules`, `0`). */
function fromPointer(pointer: string): Path {
  return pointer === ''
    ? []
    : pointer
        .split('/')
        .slice(1)
        .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** The access rules of a load started at `file`. */
function accessFor(file: string, options: LoadOptions): FileAccess {
  return {
    roots: allowedRoots(file, options.allowedRoots),
    maxBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
  };
}

/** One file of the chain, merged over everything above it. */
interface Level {
  source: YamlSource;
  tree: Tree;
  parent?: Level;
  removals: Removal[];
  extendsAt?: Position;
}

interface Ctx {
  locale: Locale;
  options: LoadOptions;
  access: FileAccess;
  diagnostics: Diagnostic[];
  sources: ConfigSource[];
}

/**
 * Parses one file and, recursively, its ancestors, merging each child over its parent.
 * Undefined when the chain cannot be resolved (bad YAML, a missing parent, a cycle): the
 * merged config would then be meaningless and its errors noise.
 */
function loadLevel(
  text: string,
  file: string,
  ctx: Ctx,
  chain: { abs: string; file: string }[],
): Level | undefined {
  const { locale } = ctx;
  const { source, diagnostics } = parseYamlSource(text, file, locale);
  ctx.diagnostics.push(...diagnostics);
  const entry: ConfigSource = { file, text };
  ctx.sources.push(entry);
  if (diagnostics.some((d) => d.severity === 'error')) return undefined;

  const tree = toTree(source.value, source);
  ctx.diagnostics.push(...checkDuplicateIds(tree, locale), ...reservedNames(source, locale));
  let parent: Level | undefined;
  let extendsAt: Position | undefined;
  const ext = tree.kind === 'map' ? tree.entries.get('extends') : undefined;
  if (tree.kind === 'map' && ext) {
    tree.entries.delete('extends');
    extendsAt = source.locate(['extends'], 'value');
    if (ext.kind !== 'leaf' || typeof ext.value !== 'string' || ext.value === '') {
      ctx.diagnostics.push(makeDiagnostic('extendsType', locale, {}, extendsAt));
      return undefined;
    }
    const target = ext.value;
    const found = findParent(target, file, ctx, extendsAt);
    if (found === null) return undefined;
    // by real path: a link back to a file of the chain is the same file
    const abs = found?.real ?? resolve(found?.file ?? resolve(dirname(file), target));
    const seen = chain.findIndex((c) => c.abs === abs);
    if (seen >= 0) {
      // named relative to the file that started the load: absolute paths would drown the cycle
      const base = dirname(chain[0]?.file ?? file);
      const names = [...chain.slice(seen).map((c) => c.file), found?.file ?? target].map((f) =>
        relative(base, f),
      );
      ctx.diagnostics.push(makeDiagnostic('extendsCycle', locale, { chain: names.join(' -> ') }, extendsAt));
      return undefined;
    }
    if (!found) {
      const path = resolve(dirname(file), target);
      ctx.diagnostics.push(makeDiagnostic('extendsNotFound', locale, { target, path }, extendsAt));
      return undefined;
    }
    entry.extends = found.file;
    parent = loadLevel(found.text, found.file, ctx, [...chain, { abs, file: found.file }]);
    if (!parent) return undefined;
  }
  const removals: Removal[] = [];
  const merged = mergeTrees(parent?.tree, tree, { removals, diagnostics: ctx.diagnostics, locale });
  const level: Level = { source, tree: merged, removals };
  if (parent) level.parent = parent;
  if (extendsAt) level.extendsAt = extendsAt;
  return level;
}

/**
 * The parent `target` names in `from`: the caller's resolver's answer, or the file read under the
 * access rules. Null when the file was refused (the diagnostic is pushed); undefined when missing.
 */
function findParent(
  target: string,
  from: string,
  ctx: Ctx,
  at: Position,
): { file: string; text: string; real?: string } | undefined | null {
  if (ctx.options.resolveExtends) return ctx.options.resolveExtends(target, from);
  const read = readReference(target, from, ctx.access);
  if (read.ok) return { file: read.path, text: read.text, real: read.real };
  const refused = refusalDiagnostic(read, target, ctx.access, ctx.locale, at);
  if (!refused) return undefined;
  ctx.diagnostics.push(refused);
  return null;
}

/**
 * Calendars read by path, kept while the file's text is unchanged: parsing a calendar costs
 * more than the rest of a config load, and a validator or engine loads many configs that
 * share one. Keyed by text, not modification time, so an edited file is always re-read.
 */
const calendarCache = new Map<string, { text: string; calendar: Calendar }>();

/** Finds the calendar a config counts in: given, or read from `calendars/<id>.yaml` beside the chain. */
function calendarResolver(
  id: string,
  level: Level,
  rc: Pick<Resolved, 'options' | 'access'>,
  report: (d: Diagnostic) => void,
  at: Position,
): () => Calendar | undefined {
  const { options, access } = rc;
  let done = false;
  let calendar: Calendar | undefined;
  return () => {
    if (done) return calendar;
    done = true;
    calendar = options.calendars?.get(id);
    if (calendar) return calendar;
    const dirs: string[] = [];
    for (let l: Level | undefined = level; l; l = l.parent)
      dirs.unshift(join(dirname(l.source.file), 'calendars'));
    const looked = [...new Set(dirs)].map((d) => join(d, `${id}.yaml`));
    const locale = options.locale ?? 'en';
    const read = looked.map((p) => readConfinedFile(p, access)).find((r) => r.ok || r.reason !== 'missing');
    if (!read) {
      report(makeDiagnostic('unknownCalendar', locale, { calendar: id, looked: looked.join(', ') }, at));
      return undefined;
    }
    if (!read.ok) {
      report(refusalDiagnostic(read, read.path, access, locale, at) as Diagnostic);
      return undefined;
    }
    const { path, text } = read;
    const cached = calendarCache.get(path);
    if (cached?.text === text) {
      calendar = cached.calendar;
      return calendar;
    }
    const parsed = parseCalendar(text, path);
    calendar = parsed.value;
    if (calendar) calendarCache.set(path, { text, calendar });
    else {
      const first = parsed.diagnostics.find((d) => d.severity === 'error');
      const detail = first
        ? `${first.file}:${first.line}:${first.column} ${first.code} ${first.message}`
        : 'invalid';
      report(makeDiagnostic('badCalendar', locale, { calendar: id, path, detail }, at));
    }
    return calendar;
  };
}

/** A chain merged and expanded, with what the checks after it share. */
interface Resolved {
  file: string;
  options: LoadOptions;
  access: FileAccess;
  locale: Locale;
  /** The root file of the chain, merged over its ancestors. */
  level: Level;
  value: unknown;
  origins: Map<string, Origin>;
  locate: (path: Path, at: 'key' | 'value') => Position;
  /** Where every check reports: the result's diagnostics. */
  out: Diagnostic[];
  result: LoadResult;
  /** Whether the config passed the schema: the checks that read its shape need it to. */
  schemaOk: boolean;
}

function resolveConfig(text: string, file: string, options: LoadOptions): LoadResult {
  const locale = options.locale ?? 'en';
  const access = accessFor(file, options);
  const ctx: Ctx = { locale, options, access, diagnostics: [], sources: [] };
  const result: LoadResult = { diagnostics: ctx.diagnostics, sources: ctx.sources, templates: {} };
  if (text.length > access.maxBytes) {
    const at = { file, line: 1, column: 1, pointer: '' };
    ctx.diagnostics.push(
      makeDiagnostic('textTooLarge', locale, { size: text.length, limit: access.maxBytes }, at),
    );
    return finish(result);
  }
  const level = loadLevel(text, file, ctx, [{ abs: realPathOf(file), file }]);
  if (!level) return finish(result);

  // `process.common` is copied into the states once the whole chain is merged, so a child may
  // change a group (or one state's copy) before it applies
  const expansion = expandCommon(level.tree, locale);
  const { value, origins } = fromTree(expansion.tree);
  const locate = (path: Path, at: 'key' | 'value') => locateResolved(origins, path, at);
  const out = ctx.diagnostics;
  out.push(...expansion.diagnostics);
  const schemaProblems = validateWithSchema(value, jurisdictionSchema, locate, locale);
  out.push(...schemaProblems);
  const schemaOk = !schemaProblems.some((d) => d.severity === 'error');
  const rc: Resolved = {
    file,
    options,
    access,
    locale,
    level,
    value,
    origins,
    locate,
    out,
    result,
    schemaOk,
  };
  checkNames(rc);
  checkValues(rc);
  resolveTemplates(rc);
  checkTemplateContracts(rc);
  const calendar = checkCalendar(rc);
  checkChainRestrictions(rc, calendar);
  settle(rc);
  return finish(result);
}

/** The cross-references of the config, then its rule sets' names and facts. */
function checkNames(rc: Resolved): void {
  const { value, locate, options, locale, out } = rc;
  out.push(
    ...checkReferences(value, locate, {
      locale,
      knownGuards: options.knownGuards ?? KNOWN_GUARDS,
      knownActions: options.knownActions ?? KNOWN_ACTIONS,
      guardParams: GUARDS,
      actionParams: CONFIG_ACTIONS,
    }),
  );
  // The rule checks read the rule sets as the schema shapes them; on a config that fails the
  // schema they would report the same mistake again in other words (an unknown operator is
  // already a schema error), or trip over a missing part.
  if (rc.schemaOk) {
    const locatePointer = (pointer: string) => locate(fromPointer(pointer), 'value');
    out.push(
      ...checkRuleSets(value as JurisdictionConfig, locatePointer, {
        file: rc.file,
        locale,
        ...(options.extraFacts ? { extraFacts: options.extraFacts } : {}),
      }),
    );
  }
}

/** What the schema cannot judge of single values: the time zone, the JSON Schemas the config embeds. */
function checkValues(rc: Resolved): void {
  const { value, locate, locale, out } = rc;
  const zone = isRec(value) && isRec(value.jurisdiction) ? value.jurisdiction.timezone : undefined;
  // a zone the runtime does not know would pass validate and fail at the first submit
  if (typeof zone === 'string' && !isTimezone(zone)) {
    out.push(makeDiagnostic('badTimezone', locale, { zone }, locate(['jurisdiction', 'timezone'], 'value')));
  }
  out.push(...checkEmbeddedSchemas(value, locate, locale));
  // the ladder reads units as the schema shapes them (levels, kinds, parents)
  if (rc.schemaOk) out.push(...checkLadder(value as JurisdictionConfig, locate, locale));
}

/** Each document's template path into the result, and a diagnostic for each one missing. */
function resolveTemplates(rc: Resolved): void {
  const { value, origins, options, locale, out, result } = rc;
  // templates resolve against the file that names them, which `extends` may make an ancestor
  for (const [id, doc] of entriesOf(isRec(value) ? value.documents : undefined)) {
    if (typeof doc.template !== 'string' || doc.template === '') continue;
    const path = ['documents', id, 'template'];
    const origin = origins.get(`/documents/${id.replaceAll('~', '~0').replaceAll('/', '~1')}/template`);
    const from = origin?.source.file ?? rc.file;
    const found = options.fileExists ? undefined : checkReference(doc.template, from, rc.access);
    const templatePath = found?.path ?? resolve(dirname(from), doc.template);
    const refused =
      found && refusalDiagnostic(found, doc.template, rc.access, locale, rc.locate(path, 'value'));
    if (refused) {
      out.push(refused);
      continue;
    }
    result.templates[id] = templatePath;
    const exists = options.fileExists ? options.fileExists(templatePath) : found?.ok === true;
    if (options.checkTemplates !== false && !exists) {
      out.push(
        makeDiagnostic(
          'templateMissing',
          locale,
          { template: doc.template, document: id, path: join(dirname(from), doc.template) },
          rc.locate(path, 'value'),
        ),
      );
    }
  }
}

/** The fields each template uses against what its document provides. */
function checkTemplateContracts(rc: Resolved): void {
  const { out, locate } = rc;
  // the contract check parses the templates, so it runs on a config whose documents the schema
  // accepted and whose template files are all there (a missing one is already reported)
  if (
    rc.options.checkTemplates !== false &&
    rc.schemaOk &&
    !out.some((d) => d.code === 'CONFIG_TEMPLATE' && d.severity === 'error')
  ) {
    out.push(
      ...checkTemplates(rc.value as JurisdictionConfig, rc.result.templates, {
        locale: rc.locale,
        locate: (id, key) => locate(['documents', id, key], 'value'),
        // the paths were checked against the roots when resolved; the read stays bounded
        read: (path) => {
          const r = readConfinedFile(path, {
            roots: [realPathOf(dirname(path))],
            maxBytes: rc.access.maxBytes,
          });
          return r.ok ? r.text : undefined;
        },
      }),
    );
  }
}

/**
 * The calendar the config names, found now (it must exist whether or not a comparison needs
 * it), and its local days off checked against it. Returns how the restriction checks get it.
 */
function checkCalendar(rc: Resolved): () => Calendar | undefined {
  const { value, locate, out } = rc;
  const identity = isRec(value) && isRec(value.jurisdiction) ? value.jurisdiction : {};
  const calendar =
    typeof identity.calendar === 'string'
      ? calendarResolver(
          identity.calendar,
          rc.level,
          rc,
          (d) => out.push(d),
          locate(['jurisdiction', 'calendar'], 'value'),
        )
      : () => undefined;
  // a calendar that does not exist is an error whether or not a comparison needs it
  const named = calendar();
  // the local days off must be days the calendar can take: real dates, in its years, once each
  if (named && Array.isArray(identity.localDaysOff)) {
    try {
      named.withDaysOff(identity.localDaysOff as NamedDay[]);
    } catch (e) {
      if (!(e instanceof CalendarDataError)) throw e;
      for (const p of e.problems) {
        const [, index, field] = p.pointer.split('/');
        out.push(
          makeDiagnostic(
            'badLocalDayOff',
            rc.locale,
            { problem: p.message, calendar: named.id },
            locate(['jurisdiction', 'localDaysOff', String(index), field ?? 'date'], 'value'),
          ),
        );
      }
    }
    // a local day off may not take back a national adjusted working day: the national schedule
    // already moved that rest day elsewhere, and both would lengthen every period across it
    // (issue 24, class 5); reported like a breach of the baseline, so `check` shows what it does
    const workdays = new Map(named.toData().workdays.map((w) => [w.date, w.name]));
    (identity.localDaysOff as unknown[]).forEach((d, index) => {
      const day = d as Partial<NamedDay> | null;
      const workday = typeof day?.date === 'string' ? workdays.get(day.date) : undefined;
      if (workday === undefined || !day) return;
      const diagnostic = makeDiagnostic(
        'localDayOffOnWorkday',
        rc.locale,
        { date: day.date, name: day.name ?? '', calendar: named.id, workday },
        locate(['jurisdiction', 'localDaysOff', String(index), 'date'], 'value'),
      );
      out.push(rc.options.restrictions === 'warning' ? { ...diagnostic, severity: 'warning' } : diagnostic);
    });
  }
  return calendar;
}

/** What each file of the chain changes in its parent, against the parent's restrictions. */
function checkChainRestrictions(rc: Resolved, calendar: () => Calendar | undefined): void {
  const { level, value, origins, options } = rc;
  for (let l: Level = level; l.parent; l = l.parent) {
    const child = l === level ? { value, origins } : fromTree(expandCommon(l.tree).tree);
    const breaches = checkRestrictions(fromTree(expandCommon(l.parent.tree).tree).value, child.value, {
      locale: rc.locale,
      source: l.source,
      origins: child.origins,
      removals: l.removals,
      extendsAt: l.extendsAt ?? rc.locate([], 'key'),
      calendar,
    });
    rc.out.push(
      ...(options.restrictions === 'warning'
        ? breaches.map((d) => ({ ...d, severity: 'warning' as const }))
        : breaches),
    );
  }
}

/** The value and its hash into the result, when no check found an error. */
function settle(rc: Resolved): void {
  const { value, out, result } = rc;
  if (out.some((d) => d.severity === 'error')) return;
  try {
    dropCommon(value);
    result.hash = configHash(value as JurisdictionConfig);
    result.value = value as JurisdictionConfig;
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    out.push(makeDiagnostic('notJson', rc.locale, { detail }, rc.locate([], 'key')));
  }
}

/**
 * Diagnostics in the order of the files (child first), then by position. A mistake inside a
 * `process.common` group is found in every state it was copied into, always at the group's
 * own line with the same words: it is reported once.
 */
function finish(result: LoadResult): LoadResult {
  const seen = new Set<string>();
  result.diagnostics = result.diagnostics.filter((d) => {
    const key = [d.severity, d.code, d.file, d.line, d.column, d.message].join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const order = new Map(result.sources.map((s, i) => [s.file, i]));
  result.diagnostics.sort(
    (a, b) => (order.get(a.file) ?? 99) - (order.get(b.file) ?? 99) || a.line - b.line || a.column - b.column,
  );
  return result;
}

/**
 * Loads a jurisdiction config from YAML text: parses it keeping positions, resolves
 * `extends`, validates the result against the schema, checks every cross-reference and
 * what a child may not change in its parent. Never throws for a problem in the config:
 * every problem is a {@link Diagnostic}, and `value` is set only when none is an error.
 * @param file the name diagnostics use, and the base of relative `extends` and templates
 */
export function parseConfigText(text: string, file: string, options: LoadOptions = {}): LoadResult {
  return resolveConfig(text, file, options);
}

/**
 * Loads the jurisdiction config at `path` (a file, or a scoped package's file such as
 * `@xinfang/configs/national.yaml`); see {@link parseConfigText}.
 */
export function loadConfig(named: string, options: LoadOptions = {}): LoadResult {
  // a package's file (`@xinfang/configs/national.yaml`) is read where the package is installed
  const path = packagePath(named);
  // the file the caller names may be anywhere; it must still be a regular file of sane size
  const access = {
    roots: [dirname(realPathOf(path))],
    maxBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
  };
  const read = readConfinedFile(path, access);
  if (!read.ok) {
    const at = { file: path, line: 1, column: 1, pointer: '' };
    const locale = options.locale ?? 'en';
    const refused = read.reason === 'outside' ? undefined : refusalDiagnostic(read, path, access, locale, at);
    const d = refused ?? makeDiagnostic('fileNotFound', locale, { file: path }, at);
    return { diagnostics: [d], sources: [], templates: {} };
  }
  return resolveConfig(read.text, path, options);
}

/**
 * Loads the jurisdiction config at `path` and throws a {@link ConfigError} carrying every
 * diagnostic when any is an error.
 */
export function loadConfigOrThrow(path: string, options: LoadOptions = {}): LoadedConfig {
  const result = loadConfig(path, options);
  if (!result.value || result.hash === undefined) throw new ConfigError(result.diagnostics);
  return result as LoadedConfig;
}
