// CloudBase update semantics, applied in JS to a copy of the stored document:
// - `update()` (merge: true): the SDK already flattens plain objects into `$set: {'a.b': v}`, so
//   sibling fields survive; `_.set(obj)` sends `$set: {a: obj}` and replaces the sub-object.
//   Plain (non-operator) keys that still arrive are treated as `$set`.
// - `set()` (merge: false): the data replaces the whole document except `_id`.
// Operators: $set $unset $inc $mul $min $max $rename $push($each,$position,$slice,$sort)
// $pull $pullAll $addToSet($each) $pop.
import { QueryError, cloneValue, compileCondition, deepEqual, deletePath, getPath, isPlainObject, setPath } from './query';

export type Doc = Record<string, unknown> & { _id?: unknown };

const OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$pop',
]);

export interface CompiledUpdate {
  /** Returns the new document (the input is not modified). */
  apply(doc: Doc): Doc;
  replacement: boolean;
}

export function compileUpdate(data: unknown, merge: boolean): CompiledUpdate {
  if (!isPlainObject(data)) throw new QueryError('update data must be an object');
  if (!merge) {
    const hasOp = Object.keys(data).some((k) => k.startsWith('$'));
    if (hasOp) throw new QueryError('update operators cannot be used with set()');
    const replacement = stripId(data);
    return {
      replacement: true,
      apply: (doc) => ({ _id: doc._id, ...cloneValue(replacement) }),
    };
  }
  const ops: Record<string, Record<string, unknown>> = {};
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) continue;
    if (key.startsWith('$')) {
      if (!OPERATORS.has(key)) throw new QueryError(`unsupported update operator ${key}`);
      if (!isPlainObject(value)) throw new QueryError(`${key} expects an object`);
      ops[key] = { ...(ops[key] ?? {}), ...value };
    } else {
      ops.$set = { ...(ops.$set ?? {}), [key]: value };
    }
  }
  checkConflicts(ops);
  return { replacement: false, apply: (doc) => applyOperators(cloneValue(doc), ops) };
}

function stripId(data: Record<string, unknown>): Record<string, unknown> {
  const { _id, ...rest } = data;
  void _id;
  return rest;
}

/** MongoDB refuses two operators on the same path, or on a path and its prefix. */
function checkConflicts(ops: Record<string, Record<string, unknown>>): void {
  const paths: string[] = [];
  for (const [op, fields] of Object.entries(ops)) {
    for (const field of Object.keys(fields)) {
      if (field === '_id' || field.startsWith('_id.'))
        throw new QueryError("Performing an update on the path '_id' would modify the immutable field '_id'");
      validatePath(field);
      paths.push(field);
      if (op === '$rename') {
        const target = fields[field];
        if (typeof target !== 'string') throw new QueryError('$rename expects a string target');
        validatePath(target);
        paths.push(target);
      }
    }
  }
  const sorted = [...paths].sort();
  for (let i = 1; i < sorted.length; i += 1) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (cur === prev || cur.startsWith(`${prev}.`)) {
      throw new QueryError(`Updating the path '${cur}' would create a conflict at '${prev}'`);
    }
  }
}

function validatePath(path: string): void {
  if (!path || path.split('.').some((part) => part === '' || part.startsWith('$'))) {
    throw new QueryError(`invalid field path '${path}'`);
  }
}

function applyOperators(doc: Doc, ops: Record<string, Record<string, unknown>>): Doc {
  for (const [op, fields] of Object.entries(ops)) {
    for (const [path, arg] of Object.entries(fields)) {
      applyOne(doc, op, path, arg);
    }
  }
  return doc;
}

function applyOne(doc: Doc, op: string, path: string, arg: unknown): void {
  const current = getPath(doc, path);
  switch (op) {
    case '$set':
      setPath(doc, path, cloneValue(arg));
      return;
    case '$unset':
      deletePath(doc, path);
      return;
    case '$inc':
    case '$mul': {
      if (typeof arg !== 'number')
        throw new QueryError(
          `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${JSON.stringify(arg)}}`,
        );
      if (current === undefined) {
        setPath(doc, path, op === '$inc' ? arg : 0);
        return;
      }
      if (typeof current !== 'number')
        throw new QueryError(`Cannot apply ${op} to a value of non-numeric type (field '${path}')`);
      setPath(doc, path, op === '$inc' ? current + arg : current * arg);
      return;
    }
    case '$min':
    case '$max': {
      if (current === undefined || (op === '$min' ? compareValues(arg, current) < 0 : compareValues(arg, current) > 0)) {
        setPath(doc, path, cloneValue(arg));
      }
      return;
    }
    case '$rename': {
      if (current === undefined) return;
      deletePath(doc, path);
      setPath(doc, arg as string, current);
      return;
    }
    case '$push': {
      const arr = arrayAt(current, path, op);
      const modifiers = isPlainObject(arg) && '$each' in arg ? arg : { $each: [arg] };
      const each = modifiers.$each;
      if (!Array.isArray(each)) throw new QueryError('$each expects an array');
      const position = modifiers.$position;
      let next: unknown[];
      if (position === undefined) next = [...arr, ...cloneValue(each)];
      else {
        if (typeof position !== 'number' || !Number.isInteger(position)) throw new QueryError('$position expects an integer');
        const at = position < 0 ? Math.max(arr.length + position, 0) : Math.min(position, arr.length);
        next = [...arr.slice(0, at), ...cloneValue(each), ...arr.slice(at)];
      }
      if (modifiers.$sort !== undefined) next = sortArray(next, modifiers.$sort);
      if (modifiers.$slice !== undefined) {
        const n = modifiers.$slice;
        if (typeof n !== 'number' || !Number.isInteger(n)) throw new QueryError('$slice expects an integer');
        next = n >= 0 ? next.slice(0, n) : next.slice(n);
      }
      setPath(doc, path, next);
      return;
    }
    case '$addToSet': {
      const arr = [...arrayAt(current, path, op)];
      const values = isPlainObject(arg) && '$each' in arg ? arg.$each : [arg];
      if (!Array.isArray(values)) throw new QueryError('$each expects an array');
      for (const v of values) if (!arr.some((x) => deepEqual(x, v))) arr.push(cloneValue(v));
      setPath(doc, path, arr);
      return;
    }
    case '$pull': {
      if (current === undefined) return;
      if (!Array.isArray(current)) throw new QueryError(`Cannot apply $pull to a non-array value (field '${path}')`);
      const matches = compileCondition(arg);
      setPath(
        doc,
        path,
        current.filter((el) => !matches(el)),
      );
      return;
    }
    case '$pullAll': {
      if (!Array.isArray(arg)) throw new QueryError('$pullAll expects an array');
      if (current === undefined) return;
      if (!Array.isArray(current)) throw new QueryError(`Cannot apply $pullAll to a non-array value (field '${path}')`);
      setPath(
        doc,
        path,
        current.filter((el) => !arg.some((v) => deepEqual(el, v))),
      );
      return;
    }
    case '$pop': {
      if (current === undefined) return;
      if (!Array.isArray(current)) throw new QueryError(`Cannot apply $pop to a non-array value (field '${path}')`);
      setPath(doc, path, arg === -1 ? current.slice(1) : current.slice(0, -1));
      return;
    }
    default:
      throw new QueryError(`unsupported update operator ${op}`);
  }
}

function arrayAt(current: unknown, path: string, op: string): unknown[] {
  if (current === undefined || current === null) return [];
  if (!Array.isArray(current)) throw new QueryError(`Cannot apply ${op} to a non-array field '${path}'`);
  return current;
}

function sortArray(arr: unknown[], spec: unknown): unknown[] {
  const copy = [...arr];
  if (typeof spec === 'number') return copy.sort((a, b) => spec * compareValues(a, b));
  if (isPlainObject(spec)) {
    const entries = Object.entries(spec) as [string, number][];
    return copy.sort((a, b) => {
      for (const [field, dir] of entries) {
        const c = compareValues(getPath(a, field), getPath(b, field));
        if (c !== 0) return dir * c;
      }
      return 0;
    });
  }
  throw new QueryError('$sort expects 1, -1 or an object');
}

/** Orders values like MongoDB's BSON order, close enough for $min/$max/$sort. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return 0;
}

function rank(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return 1;
  if (typeof v === 'string') return 2;
  if (Array.isArray(v)) return 4;
  if (typeof v === 'boolean') return 5;
  if (v instanceof Date) return 6;
  return 3;
}

/** The document an upsert starts from: the equality conditions of the query. */
export function seedFromQuery(query: unknown): Doc {
  const doc: Doc = {};
  if (!isPlainObject(query)) return doc;
  const visit = (q: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(q)) {
      if (key === '$and' && Array.isArray(value)) {
        for (const part of value) if (isPlainObject(part)) visit(part);
        continue;
      }
      if (key.startsWith('$')) continue;
      if (isPlainObject(value)) {
        const keys = Object.keys(value);
        if (keys.length === 1 && keys[0] === '$eq') setPath(doc, key, cloneValue(value.$eq));
        else if (!keys.some((k) => k.startsWith('$'))) setPath(doc, key, cloneValue(value));
        continue;
      }
      if (value instanceof RegExp) continue;
      setPath(doc, key, cloneValue(value));
    }
  };
  visit(query);
  return doc;
}
