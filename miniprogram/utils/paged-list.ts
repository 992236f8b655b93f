// The "20 a page, appended by path" list most list pages share. One module-level
// `const list = pagedList({ fetch, rowOf, idOf })` per page; its state lives per page instance
// (kept out of `data`), and the page keeps `items`, `loading`, `hasMore`, `loadError` and its
// loaded flag in `data`.
import { errorMessage, showError } from '../services/feedback';
import { privateState } from './state';

/** The page answer every list action of the cloud gives. */
export interface PageAnswer<T> {
  items: T[];
  hasMore: boolean;
}

/** The page instance; `D` names the data fields the hooks read. */
export type ListHost<D extends object = WechatMiniprogram.IAnyObject> = WechatMiniprogram.Component.TrivialInstance & {
  data: D;
};

export interface PagedListHooks<T, A extends PageAnswer<T>, D extends object> {
  fetch(host: ListHost<D>, page: number): Promise<A>;
  rowOf(item: T, host: ListHost<D>): unknown;
  /** What a tap on row i needs (an id, an openid); kept out of setData. */
  idOf(item: T): string;
  /** More fields set with each page (banners, counts…). */
  extra?(answer: A, page: number, host: ListHost<D>): Record<string, unknown>;
  /** Set whenever a page settles, answered or failed (e.g. a `phase`). */
  settled?: Record<string, unknown>;
  /** The data flag that says the first page has settled; `loaded` unless told. */
  loadedKey?: string;
  /** A failure the page handles itself (refusal, a stranger sent to join): answer true. */
  onError?(host: ListHost<D>, err: unknown): boolean | Promise<boolean>;
}

export interface PagedList<D extends object> {
  /** The ids of the rows shown, by index. */
  ids(host: ListHost<D>): string[];
  /** Empties the list; answers to requests made before are dropped from now on. */
  reset(host: ListHost<D>, patch?: Record<string, unknown>): void;
  /** `reset` then the first page. */
  reload(host: ListHost<D>): Promise<void>;
  /** The next page, unless one is on its way. */
  loadMore(host: ListHost<D>): Promise<void>;
  /** For `onReachBottom`. */
  reachBottom(host: ListHost<D>): Promise<void> | undefined;
}

export function pagedList<T, A extends PageAnswer<T>, D extends object = WechatMiniprogram.IAnyObject>(
  hooks: PagedListHooks<T, A, D>,
): PagedList<D> {
  const loadedKey = hooks.loadedKey ?? 'loaded';
  const state = privateState(() => ({
    ids: [] as string[],
    page: 0,
    loading: false,
    /** Bumped on every reset: answers to an older request are dropped. */
    generation: 0,
  }));

  const list: PagedList<D> = {
    ids: (host) => state(host).ids,

    reset(host, patch = {}) {
      const s = state(host);
      s.generation += 1;
      s.page = 0;
      s.ids = [];
      s.loading = false;
      host.setData({ items: [], hasMore: false, [loadedKey]: false, loadError: '', ...patch });
    },

    async reload(host) {
      list.reset(host);
      await list.loadMore(host);
    },

    async loadMore(host) {
      const s = state(host);
      if (s.loading) return;
      s.loading = true;
      const generation = s.generation;
      const page = s.page + 1;
      host.setData({ loading: true });
      try {
        const res = await hooks.fetch(host, page);
        if (generation !== s.generation) return;
        const patch: Record<string, unknown> = {
          ...hooks.settled,
          ...(hooks.extra ? hooks.extra(res, page, host) : {}),
          loading: false,
          [loadedKey]: true,
          hasMore: res.hasMore,
        };
        // Append by path: only the new rows travel through setData.
        const offset = s.ids.length;
        res.items.forEach((item, i) => {
          patch[`items[${offset + i}]`] = hooks.rowOf(item, host);
          s.ids.push(hooks.idOf(item));
        });
        s.page = page;
        host.setData(patch);
      } catch (err) {
        if (generation !== s.generation) return;
        if (hooks.onError && (await hooks.onError(host, err))) return;
        // With rows on screen a toast is enough; an empty list says why it is empty.
        host.setData({ ...hooks.settled, loading: false, [loadedKey]: true, loadError: s.ids.length ? '' : errorMessage(err) });
        if (s.ids.length) showError(host, err);
      } finally {
        if (generation === s.generation) s.loading = false;
      }
    },

    reachBottom(host) {
      if ((host.data as { hasMore?: boolean }).hasMore && !state(host).loading) return list.loadMore(host);
      return undefined;
    },
  };
  return list;
}
