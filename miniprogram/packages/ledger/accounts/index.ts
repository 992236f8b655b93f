// 账户管理 (workers): the community's accounts with their balances — add one, rename, disable (no
// new entries; its statements stay) or enable again, move up or down. Accounts are never deleted.
import { ledgerService, newRequestId, type AccountView } from '../../../services/ledger';
import { errorMessage } from '../../../services/feedback';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';
import { yuanText } from '../format';

interface Row {
  id: string;
  name: string;
  balance: string;
  disabled: boolean;
}
const rowOf = (a: AccountView): Row => ({
  id: a._id,
  name: a.name,
  balance: yuanText(a.balanceFen ?? 0),
  disabled: !!a.disabled,
});

const state = privateState(() => ({ requestId: '', newName: '', rename: '' }));
const length = (s: string) => Array.from(s.trim()).length;

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'ready' | 'error',
    message: '',
    items: [] as Row[],
    editing: '',
    newNameText: '',
    formError: '',
    busy: false,
  },

  methods: {
    onLoad() {
      state(this).requestId = newRequestId();
      return this.load();
    },

    async load() {
      try {
        const overview = await ledgerService.overview();
        this.setData({ phase: 'ready', items: overview.items.map(rowOf) });
      } catch (err) {
        this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    onNewName(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).newName = e.detail.value || '';
    },
    onRenameText(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).rename = e.detail.value || '';
    },

    async onAdd() {
      const s = state(this);
      if (isBusy(this)) return;
      if (!length(s.newName) || length(s.newName) > 20) return this.setData({ formError: '账户名称 1—20 个字，例如：广告收益' });
      this.setData({ formError: '' });
      await this.act(
        () => ledgerService.addAccount(s.newName.trim(), s.requestId),
        '账户已添加',
        () => {
          s.requestId = newRequestId();
          s.newName = '';
          this.setData({ newNameText: '' });
          return this.load();
        },
      );
    },

    onStartRename(e: WechatMiniprogram.BaseEvent) {
      const id = String(e.currentTarget.dataset.id);
      state(this).rename = this.data.items.find((r) => r.id === id)?.name ?? '';
      this.setData({ editing: id, formError: '' });
    },

    async onRename() {
      const s = state(this);
      if (isBusy(this)) return;
      if (!length(s.rename) || length(s.rename) > 20) return this.setData({ formError: '账户名称 1—20 个字' });
      await this.act(
        () => ledgerService.editAccount({ accountId: this.data.editing, name: s.rename.trim() }),
        '已改名',
        () => {
          this.setData({ editing: '' });
          return this.load();
        },
      );
    },

    async onToggle(e: WechatMiniprogram.BaseEvent) {
      if (isBusy(this)) return;
      const row = this.data.items[Number(e.currentTarget.dataset.index)];
      if (!row.disabled) {
        const { confirm } = await wx.showModal({
          title: `停用「${row.name}」`,
          content: '停用后不能再记入这个账户；它的余额和历史账目照常公开，以后可以重新启用。',
          confirmText: '停用',
        });
        if (!confirm) return;
      }
      await this.act(
        () => ledgerService.editAccount({ accountId: row.id, disabled: !row.disabled }),
        row.disabled ? '已启用' : '已停用',
      );
    },

    async onMove(e: WechatMiniprogram.BaseEvent) {
      if (isBusy(this)) return;
      const i = Number(e.currentTarget.dataset.index);
      const j = i + (e.currentTarget.dataset.dir === 'up' ? -1 : 1);
      const ids = this.data.items.map((r) => r.id);
      if (j < 0 || j >= ids.length) return;
      [ids[i], ids[j]] = [ids[j], ids[i]];
      await this.act(
        () => ledgerService.orderAccounts(ids),
        '顺序已调整',
        (res) =>
          this.setData({
            items: res.items.map((a) => {
              const before = this.data.items.find((r) => r.id === a._id);
              return { ...rowOf(a), balance: before?.balance ?? yuanText(0) };
            }),
          }),
      );
    },
  },
});
