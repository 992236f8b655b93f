// Reads and validates cloudfunctions/database.json: the collections, their indexes and the
// security rule, shared by the local cloud and deployment.
import fs from 'fs';
import path from 'path';

export interface IndexSpec {
  name: string;
  keys: Record<string, 1 | -1>;
  unique: boolean;
  sparse: boolean;
}

export interface CollectionSpec {
  name: string;
  indexes: IndexSpec[];
}

export interface DatabaseConfig {
  collections: CollectionSpec[];
  securityRule: unknown;
}

export const DEFAULT_DATABASE_CONFIG = path.resolve(__dirname, '../cloudfunctions/database.json');

export const COLLECTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function loadDatabaseConfig(file: string = DEFAULT_DATABASE_CONFIG): DatabaseConfig {
  if (!fs.existsSync(file)) return { collections: [], securityRule: { read: false, write: false } };
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return parseDatabaseConfig(raw, file);
}

export function parseDatabaseConfig(raw: unknown, where = 'database.json'): DatabaseConfig {
  const fail = (msg: string): never => {
    throw new Error(`${where}: ${msg}`);
  };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) fail('expected an object');
  const obj = raw as { collections?: unknown; securityRule?: unknown };
  if (!Array.isArray(obj.collections)) fail('"collections" must be an array');
  const seen = new Set<string>();
  const collections = (obj.collections as unknown[]).map((c, i): CollectionSpec => {
    const col = c as { name?: unknown; indexes?: unknown };
    if (!col || typeof col.name !== 'string' || !COLLECTION_NAME.test(col.name))
      fail(`collections[${i}].name is missing or invalid`);
    const name = col.name as string;
    if (seen.has(name)) fail(`collection "${name}" is listed twice`);
    seen.add(name);
    if (col.indexes !== undefined && !Array.isArray(col.indexes)) fail(`"${name}".indexes must be an array`);
    const indexNames = new Set<string>();
    const indexes = ((col.indexes as unknown[] | undefined) ?? []).map((x, j): IndexSpec => {
      const idx = x as { name?: unknown; keys?: unknown; unique?: unknown; sparse?: unknown };
      const at = `"${name}".indexes[${j}]`;
      if (!idx || typeof idx.name !== 'string' || !idx.name) fail(`${at}.name is missing`);
      if (indexNames.has(idx.name as string)) fail(`${at}: index name "${String(idx.name)}" is used twice`);
      indexNames.add(idx.name as string);
      if (!idx.keys || typeof idx.keys !== 'object' || Array.isArray(idx.keys)) fail(`${at}.keys must be an object`);
      const keys = idx.keys as Record<string, unknown>;
      if (Object.keys(keys).length === 0) fail(`${at}.keys is empty`);
      for (const [field, dir] of Object.entries(keys)) {
        if (!field || field.startsWith('$') || field.includes(',') || field === '_id') fail(`${at}: invalid key "${field}"`);
        if (dir !== 1 && dir !== -1) fail(`${at}: key "${field}" must be 1 or -1`);
      }
      if (idx.unique !== undefined && typeof idx.unique !== 'boolean') fail(`${at}.unique must be a boolean`);
      if (idx.sparse !== undefined && typeof idx.sparse !== 'boolean') fail(`${at}.sparse must be a boolean`);
      return {
        name: idx.name as string,
        keys: keys as Record<string, 1 | -1>,
        unique: idx.unique === true,
        sparse: idx.sparse === true,
      };
    });
    return { name, indexes };
  });
  return { collections, securityRule: obj.securityRule ?? { read: false, write: false } };
}
