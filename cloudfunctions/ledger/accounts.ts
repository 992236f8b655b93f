// The community's accounts: every member reads them with their balances; workers add, rename,
// disable (or enable again) and order them. An account is never deleted: a disabled one takes no
// new entries but keeps its entries, its balance and its statements (docs/ledger.md, "Accounts").
import { audit } from '../common/audit';
import { insertOnce } from '../common/cas';
import { cmd, collection, findById } from '../common/db';
import { AppError } from '../common/errors';
import { assertSameDigest, requestDigest, type RequestBody } from '../common/request';
import { action, ANY_MEMBER, type MemberCtx } from '../common/router';
import { ACCOUNTS_MAX, ledgerSchemas as s, type AccountView } from './api';
import { ACCOUNTS, accountIdFor, type AccountDoc } from './model';
import { balancesNow, loadAccounts, readBook, requireAccount } from './store';

const OTHER_ACCOUNT = '这个请求编号已用于另一个名称的账户。请先在账户列表里查看是否已添加；确需再加，请重新提交';
const CHANGED = '账户刚被其他工作者修改，请刷新后重试';

const toAccountView = (a: AccountDoc, balanceFen?: number): AccountView => ({
  _id: a._id,
  name: a.name,
  ...(a.disabled ? { disabled: true } : {}),
  ...(balanceFen !== undefined ? { balanceFen } : {}),
});

function assertNameFree(accounts: AccountDoc[], name: string, self?: string): void {
  if (accounts.some((a) => a.name === name && a._id !== self))
    throw new AppError('E_CONFLICT', `已经有名为「${name}」的账户，请换一个名称`);
}

/** Compare-and-set on the account's version (the default four have none until first edited). */
async function updateAccount(a: AccountDoc, patch: Partial<AccountDoc>): Promise<void> {
  const version = a.version === undefined ? cmd().exists(false) : a.version;
  const res = await collection(ACCOUNTS)
    .where({ _id: a._id, version })
    .update({ ...patch, version: (a.version ?? 0) + 1 });
  if (res.updated !== 1) throw new AppError('E_CONFLICT', CHANGED);
}

async function listAccounts(ctx: MemberCtx): Promise<AccountView[]> {
  const accounts = await loadAccounts(ctx.communityId, ctx.now);
  return accounts.map((a) => toAccountView(a));
}

export const accountActions = {
  accounts: action({
    schema: s.accounts,
    roles: ANY_MEMBER,
    handler: async (_input, ctx) => {
      const [accounts, balances, book] = await Promise.all([
        loadAccounts(ctx.communityId, ctx.now),
        balancesNow(ctx.communityId),
        readBook(ctx.communityId),
      ]);
      return {
        items: accounts.map((a) => toAccountView(a, balances.get(a._id) ?? 0)),
        closedThrough: book.closedThrough,
      };
    },
  }),

  addAccount: action({
    schema: s.addAccount,
    roles: ['worker'],
    limit: 'text',
    handler: async ({ name, requestId }, ctx) => {
      const _id = accountIdFor(ctx.communityId, requestId);
      const asked: RequestBody = { name };
      const again = await findById<AccountDoc>(ACCOUNTS, _id);
      if (again) {
        assertSameDigest(again.requestDigest ?? '', asked, OTHER_ACCOUNT);
        return toAccountView(again);
      }
      const accounts = await loadAccounts(ctx.communityId, ctx.now);
      assertNameFree(accounts, name, _id); // a repeat racing its first try finds its own account
      if (accounts.length >= ACCOUNTS_MAX)
        throw new AppError('E_CONFLICT', `每个社区最多 ${ACCOUNTS_MAX} 个账户（停用的也算）；不用的账户请停用后改名再用`);
      const doc: AccountDoc = {
        _id,
        communityId: ctx.communityId,
        name,
        order: Math.max(-1, ...accounts.map((a) => a.order)) + 1,
        requestDigest: requestDigest(asked),
        createdAt: ctx.now,
        version: 1,
      };
      if (!(await insertOnce(ACCOUNTS, doc))) {
        const first = (await findById<AccountDoc>(ACCOUNTS, _id))!;
        assertSameDigest(first.requestDigest ?? '', asked, OTHER_ACCOUNT);
        return toAccountView(first);
      }
      await audit(ctx, { target: `ledger_account:${_id}`, after: { name } });
      return toAccountView(doc);
    },
  }),

  editAccount: action({
    schema: s.editAccount,
    roles: ['worker'],
    limit: 'text',
    handler: async ({ accountId, name, disabled }, ctx) => {
      const account = await requireAccount(ctx.communityId, accountId);
      const patch: Partial<AccountDoc> = {};
      if (name !== undefined && name !== account.name) {
        assertNameFree(await loadAccounts(ctx.communityId, ctx.now), name, account._id);
        patch.name = name;
      }
      if (disabled !== undefined && disabled !== Boolean(account.disabled)) patch.disabled = disabled;
      if (!Object.keys(patch).length) return toAccountView(account);
      await updateAccount(account, patch);
      await audit(ctx, {
        target: `ledger_account:${accountId}`,
        before: Object.fromEntries(Object.keys(patch).map((k) => [k, account[k as keyof AccountDoc] ?? false])),
        after: patch,
      });
      return toAccountView({ ...account, ...patch });
    },
  }),

  orderAccounts: action({
    schema: s.orderAccounts,
    roles: ['worker'],
    handler: async ({ accounts: order }, ctx) => {
      const accounts = await loadAccounts(ctx.communityId, ctx.now);
      const known = new Set(accounts.map((a) => a._id));
      if (new Set(order).size !== order.length || order.length !== known.size || order.some((id) => !known.has(id)))
        throw new AppError('E_CONFLICT', '账户列表已有变动，请刷新后重新排序');
      const moved = [];
      for (const [i, id] of order.entries()) {
        const a = accounts.find((x) => x._id === id)!;
        if (a.order === i) continue;
        // Order is bookkeeping of the list, not the account's state: no version bump.
        await collection(ACCOUNTS).where({ _id: id, communityId: ctx.communityId }).update({ order: i });
        moved.push({ target: `ledger_account:${id}`, before: { order: a.order }, after: { order: i } });
      }
      if (moved.length) await audit(ctx, moved);
      return { items: await listAccounts(ctx) };
    },
  }),
};
