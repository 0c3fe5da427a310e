/**
 * A case's register: the registration form's sections (Shaanxi's seven), each field with the
 * value the case's own events put there. The register is read off the event log, never kept
 * beside it: a field says where its value comes from (`from`: the form, a command's event and
 * its payload, a document issued, a deadline's period, a rule set's outcome), so the register of
 * a case can be recomputed at any time and shows only what was recorded.
 *
 * Pure: the events in, the register out. Dates are civil dates in the jurisdiction's zone of the
 * instants the events were stored at (the engine's injected clock), never of today.
 */

import { civilDate, localDateTime } from '../calendar/zone.js';
import type {
  FormSection,
  JurisdictionConfig,
  RegisterField,
  RegisterFieldType,
  RegisterSource,
} from '../config/types.js';
import type { CaseEvent, Json, JsonObject } from '../store/types.js';

/** What the register reads of an event: a stored event or a viewer's redacted copy of one. */
export type RegisterEvent = Pick<CaseEvent, 'caseId' | 'seq' | 'type' | 'at' | 'actor' | 'payload'>;

/** One field of a case's register. */
export interface RegisterEntry {
  id: string;
  name: string;
  type: RegisterFieldType;
  /** The value as recorded (a unit id, a date, a rating's code); null while nothing filled it. */
  value: Json | null;
  /** The value in the register's words: a unit's name, a label, 是/否; empty while unfilled. */
  text: string;
  /** The field is the config's illustration of what a bureau records, not an official text. */
  illustrative: boolean;
}

/** One section of a case's register, with how many of its fields the events have filled. */
export interface RegisterSection {
  section: string;
  name: string;
  fields: RegisterEntry[];
  filled: number;
  total: number;
}

/** A case's register: its sections in the form's order. */
export interface CaseRegister {
  caseId: string;
  sections: RegisterSection[];
  filled: number;
  total: number;
}

/** A form field listed by name, as a register field: the form's description and type. */
function formField(config: JurisdictionConfig, path: string, illustrative: boolean): RegisterField {
  let at: unknown = config.form.schema;
  for (const name of path.split('.')) {
    const props = (at as { properties?: Record<string, unknown> } | undefined)?.properties;
    at = props?.[name];
  }
  const s = (at ?? {}) as { type?: unknown; format?: unknown; enum?: unknown; description?: unknown };
  const type: RegisterFieldType =
    s.format === 'date'
      ? 'date'
      : s.format === 'date-time'
        ? 'datetime'
        : s.type === 'boolean'
          ? 'boolean'
          : s.type === 'integer' || s.type === 'number'
            ? 'number'
            : Array.isArray(s.enum)
              ? 'enum'
              : 'text';
  const name = typeof s.description === 'string' ? s.description : path;
  return { id: path, name, type, from: { petition: path }, ...(illustrative ? { illustrative } : {}) };
}

/** The fields of a section, each as a register field (a form field's name becomes one). */
export function registerFields(config: JurisdictionConfig, section: FormSection): RegisterField[] {
  const all = section.illustrative === true;
  return section.fields.map((f) =>
    typeof f === 'string'
      ? formField(config, f, all)
      : { ...f, ...(all || f.illustrative ? { illustrative: true } : {}) },
  );
}

const listOf = <T>(v: T | readonly T[]): readonly T[] => (Array.isArray(v) ? v : [v as T]);

function getPath(value: unknown, path: string): Json | undefined {
  let at: unknown = value;
  for (const key of path.split('.')) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at as Json | undefined;
}

/** What a deadline record of an event says (the engine's `payload.deadlines`). */
interface Rec {
  deadline?: string;
  row?: string;
  op?: string;
  startDate?: string;
  dueDate?: string;
}

/** The reads over one case's events, each source kind once. */
class Reader {
  readonly #events: readonly RegisterEvent[];
  readonly #zone: string;

  constructor(events: readonly RegisterEvent[], zone: string) {
    this.#events = events;
    this.#zone = zone;
  }

  #date(at: string): string {
    return civilDate(at, this.#zone);
  }

  #pick<T>(list: readonly T[], occurrence: 'first' | 'last' | undefined): T | undefined {
    return occurrence === 'first' ? list[0] : list[list.length - 1];
  }

  read(from: RegisterSource): Json | undefined {
    if ('petition' in from) return getPath(this.#submitted()?.payload.petition, from.petition);
    if ('event' in from) return this.#event(from);
    if ('document' in from) return this.#document(from);
    if ('deadline' in from) return this.#deadline(from.deadline, from.value);
    if ('rule' in from) return this.#rule(from.rule, from.value);
    if (from.case === 'id') return this.#events[0]?.caseId;
    return getPath(this.#submitted()?.payload, 'registeringUnit');
  }

  #submitted(): RegisterEvent | undefined {
    return this.#events.find((e) => e.type === 'SUBMITTED');
  }

  #event(from: Extract<RegisterSource, { event: unknown }>): Json | undefined {
    const types = listOf(from.event);
    const matching = this.#events.filter((e) => types.includes(e.type));
    const value = from.value ?? 'date';
    // a count of nothing is an empty field: the register shows the steps that were taken
    if (value === 'count') return matching.length > 0 ? matching.length : undefined;
    const e = this.#pick(matching, from.occurrence);
    if (!e) return undefined;
    if (value === 'date') return this.#date(e.at);
    if (value === 'at') return e.at;
    if (value.startsWith('actor.')) return getPath(e.actor, value.slice('actor.'.length));
    if (value.startsWith('payload.')) return getPath(e.payload.command, value.slice('payload.'.length));
    return undefined;
  }

  #document(from: Extract<RegisterSource, { document: unknown }>): Json | undefined {
    const ids = listOf(from.document);
    const issued: { doc: JsonObject; e: RegisterEvent }[] = [];
    for (const e of this.#events) {
      const docs = Array.isArray(e.payload.documents) ? e.payload.documents : [];
      for (const d of docs) {
        // a waived notice (identity unclear, Reg. 23) was not issued: it has no number or date
        if (typeof d === 'object' && d !== null && !Array.isArray(d) && ids.includes(String(d.document))) {
          if (d.waived === undefined) issued.push({ doc: d, e });
        }
      }
    }
    const hit = this.#pick(issued, from.occurrence);
    if (!hit) return undefined;
    switch (from.value ?? 'number') {
      case 'number':
        return hit.doc.number;
      case 'date':
        return this.#date(hit.e.at);
      case 'to':
        return hit.doc.to;
      default:
        return hit.e.actor.unit;
    }
  }

  /** The latest period of `deadline`, followed through the records of every event. */
  #deadline(deadline: string, value: string): Json | undefined {
    let row: string | undefined;
    let p: { start?: string; due?: string; stopped?: string; expired?: string; status: string; ext: number } =
      {
        status: 'none',
        ext: 0,
      };
    for (const e of this.#events) {
      const records = Array.isArray(e.payload.deadlines) ? (e.payload.deadlines as Rec[]) : [];
      for (const r of records) {
        if (r.deadline !== deadline) continue;
        if (r.op === 'start') {
          row = r.row;
          p = { status: 'running', ext: 0 };
          if (r.startDate !== undefined) p.start = r.startDate;
          if (r.dueDate !== undefined) p.due = r.dueDate;
          continue;
        }
        if (r.row !== row) continue;
        if (r.dueDate !== undefined) p.due = r.dueDate;
        if (r.op === 'extend') p.ext++;
        else if (r.op === 'stop') {
          p.status = 'stopped';
          p.stopped = this.#date(e.at);
        } else if (r.op === 'fire') {
          p.status = 'fired';
          p.expired = this.#date(e.at);
        } else if (r.op === 'pause') p.status = 'paused';
        else if (r.op === 'resume') p.status = 'running';
      }
    }
    if (row === undefined) return undefined;
    switch (value) {
      case 'start':
        return p.start;
      case 'due':
        return p.due;
      case 'stopped':
        return p.stopped;
      case 'expired':
        return p.expired;
      case 'status':
        return p.status;
      case 'onTime':
        // answered only once the period is over: taken in time, or run out
        return p.expired !== undefined ? false : p.stopped !== undefined ? true : undefined;
      default:
        return p.ext;
    }
  }

  #rule(ruleSet: string, field: string): Json | undefined {
    for (let i = this.#events.length - 1; i >= 0; i--) {
      const decisions = this.#events[i]?.payload.decisions;
      const d = getPath(decisions, ruleSet);
      if (d !== undefined) return getPath(d, `merged.${field}`);
    }
    return undefined;
  }
}

/** The value in the register's words. */
function textOf(config: JurisdictionConfig, f: RegisterField, value: Json | null): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map((v) => textOf(config, f, v)).join('、');
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'object') {
    // a person or unit recorded as an object (the form's petitioner, an accused person)
    const name = (value as JsonObject).name;
    return typeof name === 'string' ? name : JSON.stringify(value);
  }
  const s = String(value);
  if (f.labels?.[s] !== undefined) return f.labels[s];
  if (f.type === 'unit') return config.units[s]?.name ?? s;
  // an instant is stored in UTC; the register shows the clock time where the bureau is
  if (f.type === 'datetime') return localDateTime(s, config.jurisdiction.timezone);
  return s;
}

/**
 * The register of one case: every section of the form with each field's value from the case's
 * events (oldest first, as the store returns them). A config without sections has an empty
 * register.
 */
export function registerOf(config: JurisdictionConfig, events: readonly RegisterEvent[]): CaseRegister {
  const reader = new Reader(events, config.jurisdiction.timezone);
  const sections: RegisterSection[] = [];
  for (const [id, s] of Object.entries(config.form.sections ?? {})) {
    const fields = registerFields(config, s).map((f): RegisterEntry => {
      const value = reader.read(f.from) ?? null;
      return {
        id: f.id,
        name: f.name,
        type: f.type,
        value,
        text: textOf(config, f, value),
        illustrative: f.illustrative === true,
      };
    });
    const filled = fields.filter((f) => f.value !== null).length;
    sections.push({ section: id, name: s.name, fields, filled, total: fields.length });
  }
  return {
    caseId: events[0]?.caseId ?? '',
    sections,
    filled: sections.reduce((n, s) => n + s.filled, 0),
    total: sections.reduce((n, s) => n + s.total, 0),
  };
}
