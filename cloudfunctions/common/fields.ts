// Walks a payload schema to find its marked fields (schema.ts `mark`): the router uses it to
// content-check every person-written text, the tests to prove no string escapes a kind.
import type { z } from 'zod';
import { markOf, type FieldMark } from './schema';
import type { TextScene } from './wxopen';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  format?: string;
  checks?: { _zod: { def: { check: string } } }[];
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
