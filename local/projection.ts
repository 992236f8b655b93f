// Projections of the local cloud's finds, done here rather than by nedb, which knows neither
// `$slice` nor `$elemMatch`: checking a CloudBase projection and applying it to a document.
import { QueryError, cloneValue, compileCondition, deletePath, getPath, isPlainObject, setPath } from './query';

export type Projection = Record<string, unknown>;

export function validateProjection(projection: unknown): Projection | undefined {
  if (projection === undefined || projection === null) return undefined;
  if (!isPlainObject(projection)) throw new QueryError('projection must be an object');
  if (Object.keys(projection).length === 0) return undefined;
  let mode: 0 | 1 | undefined;
  for (const [field, spec] of Object.entries(projection)) {
    if (field.startsWith('$')) throw new QueryError(`invalid projection field ${field}`);
    if (isPlainObject(spec)) {
      const ops = Object.keys(spec);
      if (ops.length !== 1 || !['$slice', '$elemMatch'].includes(ops[0])) {
        throw new QueryError(`unsupported projection for ${field}`);
      }
      continue;
    }
    const flag = spec === true || (typeof spec === 'number' && spec > 0) ? 1 : 0;
    if (field === '_id') continue;
    if (mode !== undefined && mode !== flag) {
      throw new QueryError('Projection cannot have a mix of inclusion and exclusion.');
    }
    mode = flag;
  }
  return projection;
}

export function applyProjection(doc: Record<string, unknown>, projection: Projection | undefined): Record<string, unknown> {
  if (!projection) return doc;
  const plain = Object.entries(projection).filter(([, s]) => !isPlainObject(s));
  const special = Object.entries(projection).filter(([, s]) => isPlainObject(s)) as [string, Record<string, unknown>][];
  const nonId = plain.filter(([f]) => f !== '_id');
  const include = nonId.length > 0 ? isTruthyFlag(nonId[0][1]) : special.length > 0 && nonId.length === 0;
  const idSpec = plain.find(([f]) => f === '_id');
  const keepId = idSpec ? isTruthyFlag(idSpec[1]) : true;

  let out: Record<string, unknown>;
  if (include) {
    out = {};
    for (const [field] of nonId) copyPath(doc, out, field);
    for (const [field] of special) copyPath(doc, out, field);
  } else {
    out = structuredCloneDoc(doc);
    for (const [field] of nonId) deletePath(out, field);
  }
  for (const [field, spec] of special) {
    const arr = getPath(out, field);
    if (!Array.isArray(arr)) continue;
    if ('$slice' in spec) setPath(out, field, sliceArray(arr, spec.$slice));
    else if ('$elemMatch' in spec) {
      const hit = arr.find(compileCondition(spec.$elemMatch));
      if (hit === undefined) deletePath(out, field);
      else setPath(out, field, [hit]);
    }
  }
  if (keepId && '_id' in doc) out = { _id: doc._id, ...out };
  else delete out._id;
  return out;
}

const isTruthyFlag = (s: unknown): boolean => s === true || (typeof s === 'number' && s > 0);

function sliceArray(arr: unknown[], spec: unknown): unknown[] {
  if (typeof spec === 'number') return spec >= 0 ? arr.slice(0, spec) : arr.slice(spec);
  if (Array.isArray(spec) && spec.length === 2) {
    const [skip, limit] = spec as [number, number];
    const start = skip >= 0 ? skip : Math.max(arr.length + skip, 0);
    return arr.slice(start, start + limit);
  }
  throw new QueryError('$slice expects a number or [skip, limit]');
}

function copyPath(src: Record<string, unknown>, dest: Record<string, unknown>, path: string): void {
  const value = getPath(src, path);
  if (value !== undefined) setPath(dest, path, cloneValue(value));
}

function structuredCloneDoc(doc: Record<string, unknown>): Record<string, unknown> {
  return cloneValue(doc) as Record<string, unknown>;
}
