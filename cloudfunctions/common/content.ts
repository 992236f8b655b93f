// Content check for user-written text before it is stored (product.md §7). In CloudBase it asks
// WeChat's msgSecCheck (v2); on the local cloud it uses a word list. Same interface for both.
import { AppError } from './errors';
import { cloudApp, isLocalCloud } from './db';
import { BLOCKED_WORDS } from './wordlist';

export interface ContentChecker {
  /** Resolves when every text is acceptable; otherwise answers the first rejected one. */
  check(texts: string[], openid: string): Promise<{ ok: true } | { ok: false; index: number }>;
}

export const wordListChecker: ContentChecker = {
  async check(texts) {
    const index = texts.findIndex((t) => BLOCKED_WORDS.some((w) => t.toLowerCase().includes(w)));
    return index < 0 ? { ok: true } : { ok: false, index };
  },
};

export const wechatChecker: ContentChecker = {
  async check(texts, openid) {
    for (let index = 0; index < texts.length; index++) {
      const res = await cloudApp().callWxOpenApi({
        apiName: '/wxa/msg_sec_check',
        requestData: { content: texts[index], version: 2, scene: 2, openid },
      });
      const body = JSON.parse(Buffer.from(res.result as unknown as ArrayBuffer).toString() || '{}');
      if (body.errcode === 87014 || (body.result && body.result.suggest && body.result.suggest !== 'pass')) {
        return { ok: false, index };
      }
    }
    return { ok: true };
  },
};

const checker = (): ContentChecker => (isLocalCloud() ? wordListChecker : wechatChecker);

/**
 * Checks the named fields; throws E_CONTENT_REJECTED naming the field to change.
 * `fields` maps a Chinese field label (标题, 正文 …) to its text; empty ones are skipped.
 */
export async function assertCleanText(fields: Record<string, string | undefined>, openid: string): Promise<void> {
  const entries = Object.entries(fields).filter((e): e is [string, string] => Boolean(e[1]));
  if (entries.length === 0) return;
  const res = await checker().check(
    entries.map(([, t]) => t),
    openid,
  );
  if (!res.ok) throw new AppError('E_CONTENT_REJECTED', `「${entries[res.index][0]}」含有不当内容，请修改后再提交`);
}

// image check: written in the open-API change
export async function assertCleanImages(_fileIds: string[], _openid: string): Promise<void> {}
