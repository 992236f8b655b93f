// Extended JSON as @cloudbase/node-sdk speaks it. Requests arrive in canonical EJSON
// (`{"$numberInt":"3"}`, `{"$date":{"$numberLong":"…"}}`, `{"$tcb_server_date":{"offset":…}}`,
// `{"$regularExpression":{…}}`); answers go back in relaxed EJSON, which the SDK's
// `EJSON.parse` (relaxed by default) turns into plain numbers and Date objects.

export class EjsonError extends Error {}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Decodes a parsed EJSON value. `now` is the server's time for `db.serverDate()`. */
export function decodeEjson(value: unknown, now: Date = new Date()): unknown {
  if (Array.isArray(value)) return value.map((item) => decodeEjson(item, now));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length >= 1 && keys[0].startsWith('$')) {
    const special = decodeSpecial(obj, keys, now);
    if (special !== NOT_SPECIAL) return special;
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (obj[key] === undefined) continue;
    out[key] = decodeEjson(obj[key], now);
  }
  return out;
}

const NOT_SPECIAL = Symbol('not special');

function decodeSpecial(obj: Record<string, unknown>, keys: string[], now: Date): unknown {
  const key = keys[0];
  const arg = obj[key];
  if (keys.length === 1) {
    switch (key) {
      case '$numberInt':
      case '$numberLong':
      case '$numberDouble':
      case '$numberDecimal':
        return decodeNumber(arg);
      case '$date':
        return decodeDate(arg);
      case '$tcb_server_date': {
        const offset = arg && typeof arg === 'object' ? Number(decodeEjson((arg as { offset?: unknown }).offset ?? 0)) : 0;
        return new Date(now.getTime() + (Number.isFinite(offset) ? offset : 0));
      }
      case '$oid':
        if (typeof arg !== 'string') throw new EjsonError('$oid expects a string');
        return arg;
      case '$regularExpression': {
        const re = arg as { pattern?: unknown; options?: unknown } | null;
        if (!re || typeof re.pattern !== 'string') throw new EjsonError('$regularExpression expects a pattern');
        return makeRegExp(re.pattern, typeof re.options === 'string' ? re.options : '');
      }
      case '$undefined':
        return undefined;
      case '$symbol':
        return String(arg);
      case '$minKey':
      case '$maxKey':
      case '$binary':
      case '$timestamp':
      case '$code':
      case '$dbPointer':
        throw new EjsonError(`${key} values are not supported by the local cloud`);
      default:
        return NOT_SPECIAL;
    }
  }
  // Legacy regular expression form: { $regex, $options }.
  if (keys.length === 2 && key === '$regex' && typeof arg === 'string' && typeof obj.$options === 'string') {
    return makeRegExp(arg, obj.$options);
  }
  return NOT_SPECIAL;
}

function decodeNumber(arg: unknown): number {
  if (typeof arg === 'number') return arg;
  if (typeof arg !== 'string') throw new EjsonError('number wrappers expect a string');
  switch (arg) {
    case 'Infinity':
      return Infinity;
    case '-Infinity':
      return -Infinity;
    case 'NaN':
      return NaN;
    default: {
      const n = Number(arg);
      if (Number.isNaN(n)) throw new EjsonError(`not a number: ${arg}`);
      return n;
    }
  }
}

function decodeDate(arg: unknown): Date {
  let ms: number;
  if (typeof arg === 'number') ms = arg;
  else if (typeof arg === 'string') ms = Date.parse(arg);
  else if (arg && typeof arg === 'object' && '$numberLong' in arg)
    ms = decodeNumber((arg as { $numberLong: unknown }).$numberLong);
  else throw new EjsonError('$date expects a number, an ISO string or $numberLong');
  if (!Number.isFinite(ms)) throw new EjsonError('invalid $date');
  return new Date(ms);
}

/** JS has no `x` (extended) or `l`/`u`-style Mongo flags; keep the ones JS understands. */
export function makeRegExp(pattern: string, options: string): RegExp {
  const flags = Array.from(new Set(options.split('').filter((f) => 'imsu'.includes(f)))).join('');
  try {
    return new RegExp(pattern, flags);
  } catch (err) {
    throw new EjsonError(`invalid regular expression: ${(err as Error).message}`);
  }
}

/** Parses an EJSON string (or an already parsed value) into plain JS values. */
export function parseEjson(text: unknown, now: Date = new Date()): unknown {
  if (text === undefined || text === null || text === '') return undefined;
  if (typeof text !== 'string') return decodeEjson(text, now);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new EjsonError('malformed EJSON');
  }
  return decodeEjson(parsed, now);
}

/** Encodes a stored value as relaxed EJSON that the SDK's `EJSON.parse` reads back faithfully. */
export function encodeEjson(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return { $date: { $numberLong: String(value.getTime()) } };
  if (value instanceof RegExp) return { $regularExpression: { pattern: value.source, options: value.flags } };
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    return { $numberDouble: Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity' };
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : encodeEjson(item)));
  if (typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      if (item === undefined) continue;
      out[key] = encodeEjson(item);
    }
    return out;
  }
  return null;
}

export const stringifyEjson = (value: unknown): string => JSON.stringify(encodeEjson(value));
