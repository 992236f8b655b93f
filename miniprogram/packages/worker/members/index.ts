// Worker console: members by status, 20 at a time. Pending applications: approve or reject.
// Active members: 管理 opens the card's editor — special-group tags with how they were verified,
// the volunteer role, and verifying the room (房号) with how. Every card says whether the room is
// verified (docs/members.md).
import {
  memberService,
  type HouseholdStatus,
  type MemberStatus,
  type MemberView,
  type Role,
  type Tag,
} from '../../../services/member';
import { showError, showSuccess } from '../../../services/feedback';
import { pagedList, type ListHost } from '../../../utils/paged-list';
import { pageBehavior } from '../../../utils/page-behavior';
import { openPage } from '../../../utils/nav';
import { privateState } from '../../../utils/state';
import { isServiceError } from '../../../services/core';
import { rowOf, type MemberRow } from './rows';

const FILTERS: { status: MemberStatus; label: string }[] = [
  { status: 'pending', label: '待审核' },
  { status: 'active', label: '已加入' },
  { status: 'rejected', label: '已拒绝' },
];

/** The rooms a worker looks for: not yet proven, and disputed by a household member. */
const HOUSEHOLD_FILTERS: { value: HouseholdStatus | ''; label: string }[] = [
  { value: '', label: '全部房号' },
  { value: 'claimed', label: '房号待核实' },
  { value: 'disputed', label: '房号有异议' },
];

type Filters = { status: MemberStatus; household: HouseholdStatus | '' };

/** Each shown member's version (MemberView.version): changes send it, so a stale card cannot overwrite. */
const versions = privateState(() => ({ of: new Map<string, number>() }));

/** Members of the picked status (and room proof); `list.ids(this)[i]` is row i's openid. */
const list = pagedList({
  fetch: (host: ListHost<Filters>, page: number) =>
    memberService.list({ status: host.data.status, page, ...(host.data.household ? { household: host.data.household } : {}) }),
  rowOf: (m: MemberView, host: ListHost<Filters>) => {
    versions(host).of.set(m.openid, m.version);
    return rowOf(m);
  },
  idOf: (m: MemberView) => m.openid,
});

/** A note typed into a modal: trimmed, at most 50 characters (the function's limit). */
const noteOf = (content: string | undefined) => (content || '').trim().slice(0, 50);

/** The roles setRoles should write: the row's, with one changed (resident is always added by the function). */
function rolesOf(row: { volunteer: boolean; worker: boolean; staff: boolean }, change: Partial<Record<Role, boolean>>): Role[] {
  const has = { volunteer: row.volunteer, worker: row.worker, property: row.staff, ...change };
  return (['volunteer', 'worker', 'property'] as const).filter((r) => has[r]);
}

Component({
  behaviors: [pageBehavior],
  data: {
    filters: FILTERS,
    householdFilters: HOUSEHOLD_FILTERS,
    status: 'pending' as MemberStatus,
    household: '' as HouseholdStatus | '',
    items: [] as MemberRow[],
    loading: false,
    hasMore: false,
    loaded: false,
    loadError: '',
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const wanted = FILTERS.find((f) => f.status === query.status);
      if (wanted) this.setData({ status: wanted.status });
      const room = HOUSEHOLD_FILTERS.find((f) => f.value && f.value === query.household);
      if (room) this.setData({ household: room.value });
      return this.reload();
    },

    onReachBottom() {
      return list.reachBottom(this);
    },

    onPickFilter(e: WechatMiniprogram.BaseEvent) {
      const status = e.currentTarget.dataset.status as MemberStatus;
      if (status === this.data.status) return undefined;
      this.setData({ status });
      return this.reload();
    },

    onPickHousehold(e: WechatMiniprogram.BaseEvent) {
      const household = e.currentTarget.dataset.value as HouseholdStatus | '';
      if (household === this.data.household) return undefined;
      this.setData({ household });
      return this.reload();
    },

    reload() {
      return list.reload(this);
    },

    loadMore() {
      return list.loadMore(this);
    },

    async onApprove(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      await this.decide(index, 'active');
    },

    async onReject(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const row = this.data.items[index];
      if (!row) return;
      const answer = await wx.showModal({
        title: `不通过${row.name}的申请？`,
        content: '',
        editable: true,
        placeholderText: '原因（选填，会告诉对方）',
        confirmText: '不通过',
        confirmColor: '#d54941',
        cancelText: '再想想',
      });
      if (!answer.confirm) return;
      await this.decide(index, 'rejected', (answer.content || '').trim());
    },

    /** 移出社区: an active member leaves the community by a worker's hand, with an optional reason. */
    async onRemove(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const openid = list.ids(this)[index];
      const row = this.data.items[index];
      if (!openid || !row || row.busy || row.status !== 'active') return;
      const answer = await wx.showModal({
        title: `将${row.name}移出社区？`,
        content: '',
        editable: true,
        placeholderText: '原因（选填，会告诉对方）。对方未开始的订单和车位预约会被取消',
        confirmText: '移出',
        confirmColor: '#d54941',
        cancelText: '再想想',
      });
      if (!answer.confirm) return;
      const reason = (answer.content || '').trim().slice(0, 100);
      this.setData({ [`items[${index}].busy`]: true });
      try {
        const view = await memberService.remove(openid, reason || undefined);
        this.setData({ [`items[${index}].status`]: view.status, [`items[${index}].busy`]: false });
        showSuccess(this, `已将${row.name}移出社区`);
      } catch (err) {
        this.setData({ [`items[${index}].busy`]: false });
        showError(this, err);
      }
    },

    async decide(index: number, to: 'active' | 'rejected', reason?: string) {
      const openid = list.ids(this)[index];
      const row = this.data.items[index];
      if (!openid || !row || row.busy || row.status !== 'pending') return;
      this.setData({ [`items[${index}].busy`]: true });
      try {
        const view =
          to === 'active'
            ? await memberService.approve(openid)
            : await memberService.reject(openid, reason ? reason.slice(0, 100) : undefined);
        this.setData({ [`items[${index}].status`]: view.status, [`items[${index}].busy`]: false });
        showSuccess(this, to === 'active' ? `已通过${row.name}的申请` : `已拒绝${row.name}的申请`);
      } catch (err) {
        this.setData({ [`items[${index}].busy`]: false });
        showError(this, err);
      }
    },

    // ---------------------------------------------------------------- the card's editor

    onToggleEditor(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const row = this.data.items[index];
      if (row) this.setData({ [`items[${index}].open`]: !row.open });
    },

    onToggleTag(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const chip = Number(e.currentTarget.dataset.chip);
      const row = this.data.items[index];
      if (!row || row.busy || !row.draft[chip]) return;
      this.setData({ [`items[${index}].draft[${chip}].on`]: !row.draft[chip].on });
    },

    /** Saves the tag chips; tags added now get the note typed in the modal (how they were verified). */
    async onSaveTags(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const row = this.data.items[index];
      if (!row || row.busy) return;
      const tags: Tag[] = row.draft.filter((c) => c.on).map((c) => c.tag);
      const answer = await wx.showModal({
        title: tags.length ? `${row.name}的标签：${tags.join('、')}` : `清除${row.name}的全部标签？`,
        content: '',
        editable: true,
        placeholderText: '怎样核实的（选填），如：查看残疾证、入户走访',
        confirmText: '保存',
        cancelText: '取消',
      });
      if (!answer.confirm) return;
      const note = noteOf(answer.content);
      await this.change(
        index,
        (openid, version) => memberService.setTags(openid, tags, { note: note || undefined, version }),
        '标签已保存',
      );
    },

    async onToggleVolunteer(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const row = this.data.items[index];
      if (!row || row.busy) return;
      const grant = !row.volunteer;
      const sure = await wx.showModal({
        title: grant ? `把${row.name}设为党员志愿者？` : `取消${row.name}的志愿者身份？`,
        content: grant ? '志愿者可以进入接单大厅，接单并上门服务。' : '取消后对方不再接单，也会离岗。',
        confirmText: grant ? '设为志愿者' : '取消志愿者',
        cancelText: '再想想',
      });
      if (!sure.confirm) return;
      const roles = rolesOf(row, { volunteer: grant });
      await this.change(
        index,
        (openid, version) => memberService.setRoles(openid, roles, version),
        grant ? `${row.name}已是党员志愿者` : `已取消${row.name}的志愿者身份`,
      );
    },

    /** 长辈模式 on or off for the member (someone who cannot find the switch, or asked at the desk). */
    async onToggleMemberElder(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const row = this.data.items[index];
      if (!row || row.busy) return;
      const on = !row.elderOn;
      await this.change(
        index,
        (openid, version) => memberService.setElderMode(on ? 'on' : 'off', { openid, version }),
        on ? `已为${row.name}打开长辈模式` : `已为${row.name}关闭长辈模式`,
      );
    },

    /** 亲情代办 for this member: their relatives' requests and links, confirmed or ended by the worker. */
    onFamilyLinks(e: WechatMiniprogram.BaseEvent) {
      const openid = list.ids(this)[Number(e.currentTarget.dataset.index)];
      if (openid) openPage(`/packages/family/confirm/index?elder=${encodeURIComponent(openid)}`);
    },

    /** Makes a member staff of the community's property company (物业人员), or no longer. */
    async onToggleStaff(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const row = this.data.items[index];
      if (!row || row.busy) return;
      const grant = !row.staff;
      const sure = await wx.showModal({
        title: grant ? `把${row.name}设为物业人员？` : `取消${row.name}的物业人员身份？`,
        content: grant ? '物业人员在接单大厅接物业报修和投诉，不参与对物业的评价。' : '取消后对方不再接物业订单。',
        confirmText: grant ? '设为物业人员' : '取消身份',
        cancelText: '再想想',
      });
      if (!sure.confirm) return;
      await this.change(
        index,
        (openid, version) => memberService.setRoles(openid, rolesOf(row, { property: grant }), version),
        grant ? `${row.name}已是物业人员` : `已取消${row.name}的物业人员身份`,
      );
    },

    async onVerifyHousehold(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const row = this.data.items[index];
      if (!row || row.busy) return;
      const answer = await wx.showModal({
        title: `核实${row.name}的房号（${row.address}）`,
        content: '',
        editable: true,
        placeholderText: '怎样核实的，如：查看房产证、租赁合同',
        confirmText: '已核实',
        cancelText: '取消',
      });
      if (!answer.confirm) return;
      const note = noteOf(answer.content);
      await this.change(index, (openid) => memberService.verifyHousehold(openid, note || undefined), `${row.name}的房号已核实`);
    },

    /**
     * One change of row `index`'s member, sent with the version the card shows; the card then shows
     * the answer, the editor stays open. Someone changed the member meanwhile (E_CONFLICT): their
     * sentence, and the list is read again so the card shows the member as they are now.
     */
    async change(index: number, run: (openid: string, version?: number) => Promise<MemberView>, done: string) {
      const openid = list.ids(this)[index];
      const row = this.data.items[index];
      if (!openid || !row || row.busy) return;
      const known = versions(this).of;
      this.setData({ [`items[${index}].busy`]: true });
      try {
        const view = await run(openid, known.get(openid));
        known.set(openid, view.version);
        this.setData({ [`items[${index}]`]: { ...rowOf(view), open: row.open } });
        showSuccess(this, done);
      } catch (err) {
        this.setData({ [`items[${index}].busy`]: false });
        showError(this, err);
        if (isServiceError(err) && err.code === 'E_CONFLICT') await this.reload();
      }
    },
  },
});
