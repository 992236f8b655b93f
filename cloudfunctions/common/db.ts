// One CloudBase app per process, created on first use, for the current environment. On a laptop
// and in tests TCB_SERVICE_URL points it at the local cloud (and a change of that URL, as when a
// test restarts the local cloud, re-creates it).
import tcb from '@cloudbase/node-sdk';

type App = ReturnType<typeof tcb.init>;
let cached: { url: string | undefined; app: App } | undefined;

/**
 * The app of the current environment (TCB_ENV, which CloudBase sets, as does the local cloud).
 * TCB_SERVICE_URL, when set, is where the SDK sends its calls: the local cloud on a laptop.
 */
export function cloudApp(): App {
  const url = process.env.TCB_SERVICE_URL;
  if (!cached || cached.url !== url)
    cached = { url, app: tcb.init({ env: tcb.SYMBOL_CURRENT_ENV, serviceUrl: url, timeout: 10000 }) };
  return cached.app;
}

/** The id of the environment the app talks to, as its file ids carry it (`cloud://<env>.<bucket>/…`). */
export function envId(): string {
  const { TCB_ENV, SCF_NAMESPACE } = tcb.getCloudbaseContext();
  return TCB_ENV || SCF_NAMESPACE || '';
}

export const db = () => cloudApp().database();
export const cmd = () => db().command;
export const collection = (name: string) => db().collection(name);

/** The documents a `get()` answered, typed by the caller. */
export async function getAll<T>(query: { get(): Promise<{ data: unknown[] }> }): Promise<T[]> {
  const res = await query.get();
  return res.data as T[];
}

/** One document by `_id`, or null. */
export async function findById<T>(name: string, id: string): Promise<T | null> {
  const res = await collection(name).where({ _id: id }).limit(1).get();
  return ((res.data as T[])[0] ?? null) as T | null;
}
