// Walks a payload schema to find its marked fields (schema.ts `mark`): the router uses it to
// content-check every person-written text, the tests to prove no string escapes a kind.
import type { z } from 'zod';
import { markOf, type FieldMark } from './schema';
import type { TextScene } from './wxopen';

interface Check {
  check: string;
  value?: unknown;
  inclusive?: boolean;
  minimum?: number;
  maximum?: number;
  format?: string;
}

interface Def {
  type: string;
  entries?: Record<string, string | number>;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  format?: string;
  checks?: { _zod: { def: Check } }[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Wrappers whose inner schema describes the value: descend without changing the path. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional', 'catch']);

export interface FieldSite {
  /** Property path from the payload's root; array items add no step. */
  path: string[];
  mark?: FieldMark;
  schema: z.ZodType;
}

/**
 * Every string leaf and every marked node of a schema, with its path. A string leaf without a mark
 * is reported with `mark` undefined: the tests require it to be closed by a pattern.
 */
export function fieldSites(schema: z.ZodType, path: string[] = []): FieldSite[] {
  const m = markOf(schema);
  if (m) return [{ path, mark: m, schema }];
  const def = defOf(schema);
  if (def.type === 'object') return Object.entries(def.shape ?? {}).flatMap(([k, s]) => fieldSites(s, [...path, k]));
  if (def.type === 'array') return fieldSites(def.element!, path);
  if (WRAPPERS.has(def.type)) return fieldSites(def.innerType!, path);
  if (def.type === 'pipe') return fieldSites(def.in!, path);
  if (def.type === 'union') return def.options!.flatMap((o) => fieldSites(o, path));
  if (def.type === 'string') return [{ path, schema }];
  return [];
}

/** A string schema closed by a pattern or a built-in format (ids, request ids, ISO times). */
export function isPatternString(schema: z.ZodType): boolean {
  const def = defOf(schema);
  return def.type === 'string' && (Boolean(def.format) || (def.checks ?? []).some((c) => c._zod.def.check === 'string_format'));
}

export interface TextField {
  label: string;
  text: string;
  scene: TextScene;
}

/** The person-written texts of a parsed payload, each with its label and scene. */
export function textsOf(schema: z.ZodType, data: unknown, labelOf: (key: string) => string): TextField[] {
  const out: TextField[] = [];
  const visit = (s: z.ZodType, value: unknown, key: string): void => {
    if (value === undefined || value === null) return;
    const m = markOf(s);
    if (m) {
      if (m.kind === 'text' && typeof value === 'string' && value)
        out.push({ label: m.label ?? labelOf(key), text: value, scene: m.scene ?? 2 });
      return;
    }
    const def = defOf(s);
    if (def.type === 'object' && typeof value === 'object') {
      for (const [k, child] of Object.entries(def.shape ?? {})) visit(child, (value as Record<string, unknown>)[k], k);
    } else if (def.type === 'array' && Array.isArray(value)) {
      for (const item of value) visit(def.element!, item, key);
    } else if (WRAPPERS.has(def.type)) visit(def.innerType!, value, key);
    else if (def.type === 'pipe') visit(def.in!, value, key);
    else if (def.type === 'union') for (const o of def.options!) visit(o, value, key);
  };
  visit(schema, data, '');
  return out;
}

/** The schema that validates the value at `path` of a payload (array indexes step into elements). */
export function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (let i = 0; current && i <= path.length;) {
    const def = defOf(current);
    if (WRAPPERS.has(def.type)) current = def.innerType;
    else if (def.type === 'pipe') current = def.in;
    else if (i === path.length) return current;
    else if (def.type === 'object') current = def.shape?.[String(path[i++])];
    else if (def.type === 'array') {
      current = def.element;
      if (typeof path[i] === 'number') i++;
    } else if (def.type === 'union') current = def.options?.find((o) => schemaAt(o, path.slice(i)));
    else return undefined;
  }
  return current;
}

const checksOf = (def: Def): Check[] => (def.checks ?? []).map((c) => c._zod.def);

/** A list of options for a message: all of them up to 8, then 等. */
const optionList = (values: readonly unknown[]) =>
  values.length > 8 ? `${values.slice(0, 8).join('、')} 等` : values.map(String).join('、');

/**
 * What a schema allows, said for a person: 「1–5 的整数」, 「以下之一：通知、活动」, 「不超过 20 个字」.
 * Undefined where a pattern decides (ids, times): their own messages say it.
 */
export function allowedOf(schema: z.ZodType): string | undefined {
  const said = markOf(schema)?.allowed;
  if (said) return said;
  const def = defOf(schema);
  if (WRAPPERS.has(def.type)) return allowedOf(def.innerType!);
  if (def.type === 'pipe') return allowedOf(def.in!);
  const checks = checksOf(def);
  if (def.type === 'number') {
    const kind = checks.some((c) => c.check === 'number_format') ? '整数' : '数字';
    const lo = checks.find((c) => c.check === 'greater_than')?.value;
    const hi = checks.find((c) => c.check === 'less_than')?.value;
    if (lo !== undefined && hi !== undefined) return `${lo}–${hi} 的${kind}`;
    if (lo !== undefined) return `不小于 ${lo} 的${kind}`;
    if (hi !== undefined) return `不大于 ${hi} 的${kind}`;
    return kind;
  }
  if (def.type === 'boolean') return '是或否（true 或 false）';
  if (def.type === 'enum') return `以下之一：${optionList(Object.values(def.entries ?? {}))}`;
  if (def.type === 'literal') return '固定的值';
  if (def.type === 'string') {
    if (def.format || checks.some((c) => c.check === 'string_format')) return undefined;
    const max = checks.find((c) => c.check === 'max_length')?.maximum;
    return max !== undefined ? `不超过 ${max} 个字的文字` : '文字';
  }
  if (def.type === 'array') {
    const max = checks.find((c) => c.check === 'max_length')?.maximum;
    const each = allowedOf(def.element!);
    return `${max !== undefined ? `最多 ${max} 项的` : ''}列表${each ? `，每项为${each}` : ''}`;
  }
  if (def.type === 'object') return '一组字段';
  return undefined;
}
