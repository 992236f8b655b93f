// Translates CloudBase (MongoDB-style) queries and sorts into what @seald-io/nedb
// understands, keeping MongoDB's semantics where nedb differs:
// - nedb has no `$eq`, `$nor`, `$all`, `$mod`; equality with null must also match a missing field;
// - nedb's `$ne`/`$nin` match when *some* array element differs, MongoDB's when *no* element
//   matches, so negations are expressed as `$not` of the positive clause.
// Also the path and value helpers (copy, get/set/delete by dotted path, equality) that
// projection.ts and update.ts share.
import model from '@seald-io/nedb/lib/model.js';

export class QueryError extends Error {}

type Query = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp);

const isOperatorObject = (v: unknown): v is Record<string, unknown> => {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  if (keys.length === 0) return false;
  const ops = keys.filter((k) => k.startsWith('$')).length;
  if (ops > 0 && ops !== keys.length) throw new QueryError('cannot mix operators and fields in one condition');
  return ops > 0;
};

/** CloudBase query → nedb query. Undefined or empty means "all documents". */
export function translateQuery(query: unknown): Query {
  if (query === undefined || query === null) return {};
  if (!isPlainObject(query)) throw new QueryError('query must be an object');
  const clauses: Query[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (key.startsWith('$')) clauses.push(translateLogical(key, value));
    else clauses.push(...translateField(key, value));
  }
  return combine(clauses);
}

function translateLogical(op: string, value: unknown): Query {
  switch (op) {
    case '$and':
    case '$or':
    case '$nor': {
      if (!Array.isArray(value)) throw new QueryError(`${op} expects an array`);
      if (value.length === 0) throw new QueryError(`${op} expects a non-empty array`);
      const parts = value.map((q) => translateQuery(q));
      if (op === '$nor') return { $not: { $or: parts } };
      return { [op]: parts };
    }
    case '$expr':
    case '$where':
    case '$text':
      throw new QueryError(`${op} is not supported by the local cloud`);
    default:
      throw new QueryError(`unknown top-level operator ${op}`);
  }
}

/** Merges clauses into one query, keeping simple `field: value` pairs top-level so nedb can use its indexes. */
function combine(clauses: Query[]): Query {
  const out: Query = {};
  const rest: Query[] = [];
  for (const clause of clauses) {
    const keys = Object.keys(clause);
    if (keys.length === 1 && !keys[0].startsWith('$') && !(keys[0] in out)) out[keys[0]] = clause[keys[0]];
    else if (keys.length === 1 && keys[0] === '$and' && !('$and' in out)) out.$and = clause.$and;
    else rest.push(clause);
  }
  if (rest.length > 0) out.$and = [...((out.$and as Query[] | undefined) ?? []), ...rest];
  return out;
}

function eqClause(path: string, value: unknown): Query {
  if (value === null) return { $or: [{ [path]: null }, { [path]: { $exists: false } }] };
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.some((k) => k.startsWith('$'))) throw new QueryError(`invalid value for ${path}: field names cannot start with $`);
  }
  return { [path]: value };
}

function translateField(path: string, condition: unknown): Query[] {
  if (!isOperatorObject(condition)) return [eqClause(path, condition)];
  const out: Query[] = [];
  const ops = condition;
  for (const [op, arg] of Object.entries(ops)) {
    if (arg === undefined) continue;
    switch (op) {
      case '$eq':
        out.push(eqClause(path, arg));
        break;
      case '$ne':
        out.push({ $not: eqClause(path, arg) });
        break;
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        if (arg === null || (typeof arg === 'object' && !(arg instanceof Date))) {
          throw new QueryError(`${op} expects a number, a string or a date`);
        }
        out.push({ [path]: { [op]: arg } });
        // nedb compares a Date operand with null (both typeof 'object') as if null were 0, so
        // `redAt <= now` would match `redAt: null`. Keep its clause (index candidates) and add
        // an exact check.
        if (arg instanceof Date) out.push(dateGuard(path, op, arg.getTime()));
        break;
      case '$in':
        out.push(inClause(path, arg));
        break;
      case '$nin':
        out.push({ $not: inClause(path, arg) });
        break;
      case '$all': {
        if (!Array.isArray(arg)) throw new QueryError('$all expects an array');
        if (arg.length === 0) out.push({ [path]: { $in: [] } });
        else out.push({ $and: arg.map((v) => eqClause(path, v)) });
        break;
      }
      case '$exists':
        out.push({ [path]: { $exists: Boolean(arg) } });
        break;
      case '$size':
        if (typeof arg !== 'number' || !Number.isInteger(arg)) throw new QueryError('$size expects an integer');
        out.push({ [path]: { $size: arg } });
        break;
      case '$elemMatch': {
        if (!isPlainObject(arg)) throw new QueryError('$elemMatch expects an object');
        const matches = compileCondition(arg);
        out.push({
          $where(this: unknown) {
            const arr = getPath(this, path);
            return Array.isArray(arr) && arr.some(matches);
          },
        });
        break;
      }
      case '$regex': {
        const re = arg instanceof RegExp ? arg : typeof arg === 'string' ? safeRegExp(arg, String(ops.$options ?? '')) : null;
        if (!re) throw new QueryError('$regex expects a string');
        out.push({ [path]: re });
        break;
      }
      case '$options':
        break;
      case '$mod': {
        if (!Array.isArray(arg) || arg.length !== 2 || !arg.every((n) => typeof n === 'number')) {
          throw new QueryError('$mod expects [divisor, remainder]');
        }
        const [divisor, remainder] = arg as [number, number];
        if (divisor === 0) throw new QueryError('$mod divisor cannot be 0');
        out.push({
          $where(this: unknown) {
            const v = getPath(this, path);
            const values = Array.isArray(v) ? v : [v];
            return values.some((x) => typeof x === 'number' && Math.trunc(x) % divisor === remainder);
          },
        });
        break;
      }
      case '$not': {
        if (arg instanceof RegExp) out.push({ $not: { [path]: arg } });
        else if (isOperatorObject(arg)) out.push({ $not: combine(translateField(path, arg)) });
        else throw new QueryError('$not expects an operator expression or a regular expression');
        break;
      }
      case '$geoNear':
      case '$nearSphere':
      case '$geoWithin':
      case '$geoIntersects':
        throw new QueryError(`${op} (geo queries) is not supported by the local cloud`);
      default:
        throw new QueryError(`unknown query operator ${op}`);
    }
  }
  return out;
}

function dateGuard(path: string, op: string, ms: number): Query {
  const test = (t: number) => (op === '$gt' ? t > ms : op === '$gte' ? t >= ms : op === '$lt' ? t < ms : t <= ms);
  return {
    $where(this: unknown) {
      const v = model.getDotValue(this, path);
      const values = Array.isArray(v) ? v.flat() : [v];
      return values.some((x) => x instanceof Date && test(x.getTime()));
    },
  };
}

function inClause(path: string, arg: unknown): Query {
  if (!Array.isArray(arg)) throw new QueryError('$in/$nin expect an array');
  const regexes = arg.filter((v): v is RegExp => v instanceof RegExp);
  const values = arg.filter((v) => !(v instanceof RegExp) && v !== null);
  const hasNull = arg.some((v) => v === null);
  const parts: Query[] = [];
  if (values.length > 0 || (!hasNull && regexes.length === 0)) parts.push({ [path]: { $in: values } });
  if (hasNull) parts.push(eqClause(path, null));
  for (const re of regexes) parts.push({ [path]: re });
  return parts.length === 1 ? parts[0] : { $or: parts };
}

function safeRegExp(pattern: string, options: string): RegExp {
  const flags = Array.from(new Set(options.split('').filter((f) => 'imsu'.includes(f)))).join('');
  try {
    return new RegExp(pattern, flags);
  } catch (err) {
    throw new QueryError(`invalid regular expression: ${(err as Error).message}`);
  }
}

/**
 * Compiles a condition on one value (an array element, as `$pull` and `$elemMatch` need):
 * operators apply to the value itself, a plain object is a query on a sub-document, anything
 * else is compared for equality.
 */
export function compileCondition(condition: unknown): (value: unknown) => boolean {
  if (isOperatorObject(condition)) {
    const q = combine(translateField('__v', condition));
    return (value) => model.match({ __v: value }, q);
  }
  if (isPlainObject(condition)) {
    const q = translateQuery(condition);
    return (value) => isPlainObject(value) && model.match(value, q);
  }
  return (value) => deepEqual(value, condition);
}

/** Sort specification: `{ field: 1 | -1, … }` in the order given. */
export function translateOrder(order: unknown): Record<string, 1 | -1> | undefined {
  if (order === undefined || order === null) return undefined;
  const entries: [string, unknown][] = Array.isArray(order)
    ? order.map((o) => {
        // Older SDKs send [{ field, direction }].
        const item = o as { field?: unknown; direction?: unknown };
        return [String(item.field), item.direction === 'desc' || item.direction === -1 ? -1 : 1];
      })
    : isPlainObject(order)
      ? Object.entries(order)
      : [];
  if (!Array.isArray(order) && !isPlainObject(order)) throw new QueryError('order must be an object');
  const out: Record<string, 1 | -1> = {};
  for (const [field, dir] of entries) {
    if (!field || field.startsWith('$')) throw new QueryError(`invalid sort field ${field}`);
    out[field] = dir === -1 || dir === 'desc' || dir === '-1' ? -1 : 1;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Deep copy of a stored value (Dates copied, not shared). */
export function cloneValue<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map((v) => cloneValue(v)) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cloneValue(v);
    return out as T;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Path and value helpers shared with the update engine

export function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Sets a dotted path, creating intermediate objects; numeric parts index into existing arrays. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Record<string, unknown> | unknown[] = obj;
  for (let i = 0; i < parts.length - 1; i += 1) {
    const part = parts[i];
    const next: unknown = (cur as Record<string, unknown>)[part];
    if (next === undefined || next === null) {
      const created = {};
      assign(cur, part, created, path);
      cur = created;
    } else if (typeof next === 'object' && !(next instanceof Date) && !(next instanceof RegExp)) {
      cur = next as Record<string, unknown>;
    } else {
      throw new QueryError(`Cannot create field '${parts[i + 1]}' in element {${part}: ${JSON.stringify(next)}}`);
    }
  }
  assign(cur, parts[parts.length - 1], value, path);
}

function assign(container: Record<string, unknown> | unknown[], key: string, value: unknown, path: string): void {
  if (Array.isArray(container)) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0) throw new QueryError(`cannot use the part '${key}' of '${path}' on an array`);
    while (container.length < index) container.push(null);
    container[index] = value;
  } else {
    container[key] = value;
  }
}

export function deletePath(obj: Record<string, unknown>, path: string): boolean {
  const parts = path.split('.');
  let cur: unknown = obj;
  for (let i = 0; i < parts.length - 1; i += 1) {
    if (cur === null || typeof cur !== 'object') return false;
    cur = (cur as Record<string, unknown>)[parts[i]];
  }
  if (cur === null || typeof cur !== 'object') return false;
  const last = parts[parts.length - 1];
  if (Array.isArray(cur)) {
    const index = Number(last);
    if (!Number.isInteger(index) || index >= cur.length) return false;
    cur[index] = null; // MongoDB's $unset on an array element leaves null in place.
    return true;
  }
  if (!(last in (cur as Record<string, unknown>))) return false;
  delete (cur as Record<string, unknown>)[last];
  return true;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof RegExp || b instanceof RegExp) return String(a) === String(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ak = Object.keys(a).filter((k) => a[k] !== undefined);
    const bk = Object.keys(b).filter((k) => b[k] !== undefined);
    if (ak.length !== bk.length) return false;
    return ak.every((k, i) => k === bk[i] && deepEqual(a[k], b[k]));
  }
  return false;
}

export { isPlainObject };
