// Navigation helpers: tab pages need switchTab, other pages navigateTo / redirectTo.

export const TAB_PAGES = ['pages/home/index', 'pages/orders/index', 'pages/notices/index', 'pages/mine/index'];

export const PAGES = {
  home: '/pages/home/index',
  mine: '/pages/mine/index',
  join: '/pages/join/index',
  workerMembers: '/packages/worker/members/index',
  workerInvite: '/packages/worker/invite/index',
  workerAudit: '/packages/worker/audit/index',
  workerLimits: '/packages/worker/limits/index',
  ledger: '/packages/ledger/home/index',
  ledgerDesk: '/packages/ledger/desk/index',
  deskSessions: '/packages/desk/sessions/index',
  property: '/packages/property/grade/index',
  propertyWorker: '/packages/property/worker/index',
} as const;

const pathOf = (url: string) => url.replace(/^\//, '').split('?')[0];

export const isTabPage = (url: string): boolean => TAB_PAGES.includes(pathOf(url));

/** Decodes a query value once if it is still percent-encoded; bad encodings come back as given. */
export function decodeQueryValue(value: string | undefined): string {
  if (!value) return '';
  if (!/%[0-9a-fA-F]{2}/.test(value)) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * A redirect target taken from a share card: only a page path inside this mini-program
 * (`/pages/...` or `/packages/...`, optional query), never a URL or a path climbing out.
 */
export function safeTarget(raw: string | undefined): string | undefined {
  const value = decodeQueryValue(raw).trim();
  if (!value) return undefined;
  const target = value.startsWith('/') ? value : `/${value}`;
  if (!/^\/(pages|packages)\/[A-Za-z0-9_\-/]+(\?[^#]*)?$/.test(target)) return undefined;
  if (target.includes('..')) return undefined;
  return target;
}

/** Opens a page on top of the current one (switchTab for tab pages). */
export function openPage(url: string): void {
  if (isTabPage(url)) wx.switchTab({ url: url.split('?')[0] });
  else wx.navigateTo({ url });
}

/** Replaces the current page (switchTab for tab pages, which cannot carry a query). */
export function replacePage(url: string): void {
  if (isTabPage(url)) wx.switchTab({ url: url.split('?')[0] });
  else wx.redirectTo({ url });
}
