// 预约服务: the order form for one menu item. Say what is needed (required), add photos if you
// like, and order on behalf of someone (代点单): community workers for any resident, a resident for
// a verified member of their own verified household (member.household). The form carries one
// request id for its whole life, so a double tap or a retry creates one order. Consent for
// progress messages is asked on the 提交 tap, never on load. Instead of typing, one may press and
// hold to record a voice message (packages/orders/recorder.ts); then the text is optional.
import { pictureSrc, uploadPicture } from '../../../services/files';
import { ordersService, type ServiceView } from '../../../services/orders';
import { memberService, type MemberView } from '../../../services/member';
import { messagesService } from '../../../services/messages';
import { errorMessage, showError, showSuccess } from '../../../services/feedback';
import { isServiceError } from '../../../services/core';
import { addressText } from '../../../utils/format';
import { PAGES, decodeQueryValue, openPage } from '../../../utils/nav';
import { privateState } from '../../../utils/state';
import { ORDER_PAGES, newRequestId, priceText, withId } from '../../../utils/orders';
import { hasVoiceNote, voiceNoteBehavior, voiceNoteOf } from './voice-note';
import { pageBehavior } from '../../../utils/page-behavior';

type Phase = 'loading' | 'form' | 'missing' | 'guest' | 'error';

const MAX_DESCRIPTION = 500;
const MAX_PHOTOS = 3;

interface ServiceCard {
  name: string;
  tierLabel: string;
  priceText: string;
  description: string;
}

interface PersonRow {
  name: string;
  address: string;
}

const cardOf = (s: ServiceView): ServiceCard => ({
  name: s.name,
  tierLabel: s.tierLabel,
  priceText: priceText(s.price),
  description: s.description,
});

const state = privateState(() => ({
  serviceId: '',
  requestId: '',
  description: '',
  photos: [] as string[],
  /** Workers ordering for a resident: the member list of the chosen building, and the choice. */
  memberIds: [] as string[],
  memberPage: 0,
  forOpenid: '',
  /** A resident's verified household members (member.household), by index of `family`. */
  familyIds: [] as string[],
  submitting: false,
  /** Bumped when the beneficiary changes: an older eligibility answer is dropped. */
  seq: 0,
}));

Component({
  behaviors: [pageBehavior, voiceNoteBehavior],
  data: {
    phase: 'loading' as Phase,
    message: '',
    service: null as ServiceCard | null,
    /** Why the chosen person may not order this item ('' when they may). */
    reason: '',
    descriptionError: '',
    length: 0,
    maxLength: MAX_DESCRIPTION,
    photos: [] as string[],
    maxPhotos: MAX_PHOTOS,
    isWorker: false,
    /** 'self' or 'other' (a worker ordering for a resident). */
    forMode: 'self',
    buildings: [] as string[],
    building: '',
    members: [] as PersonRow[],
    membersMore: false,
    membersLoading: false,
    chosen: null as PersonRow | null,
    forError: '',
    /** A resident's verified family: whom they may order for besides themself. */
    family: [] as PersonRow[],
    /** -1: for me; else the index in `family`. */
    familyPick: -1,
    submitting: false,
  },

  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      const s = state(this);
      s.serviceId = decodeQueryValue(query.serviceId);
      s.requestId = newRequestId();
      void messagesService.prepareSubscribe();
      if (!s.serviceId) {
        this.setData({ phase: 'missing', message: '没有找到要预约的服务，请回到首页重新选择' });
        return;
      }
      try {
        const me = await memberService.me();
        if (!me || me.status !== 'active') {
          this.setData({ phase: 'guest' });
          return;
        }
        const isWorker = me.roles.includes('worker');
        this.setData({ isWorker, buildings: isWorker ? me.buildings : [] });
        if (!isWorker) await this.loadFamily();
        await this.checkService();
      } catch (err) {
        if (isServiceError(err) && err.code === 'E_NOT_MEMBER') this.setData({ phase: 'guest' });
        else this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    /** The item as the menu shows it for the chosen person: whether they may order it. */
    async checkService() {
      const s = state(this);
      const seq = ++s.seq;
      const menu = await ordersService.menu(s.forOpenid || undefined);
      if (seq !== s.seq) return;
      let found: ServiceView | undefined;
      for (const tier of menu.tiers) found = found || tier.items.find((i) => i._id === s.serviceId);
      if (!found) {
        this.setData({ phase: 'missing', message: '这项服务已下架或不存在，请回到首页重新选择' });
        return;
      }
      this.setData({ phase: 'form', service: cardOf(found), reason: found.orderable ? '' : found.reason || '暂时不能预约' });
    },

    onDescription(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const value = e.detail.value || '';
      state(this).description = value;
      const length = Array.from(value).length;
      const patch: Record<string, unknown> = { length };
      if (this.data.descriptionError) patch.descriptionError = '';
      this.setData(patch);
    },

    async onAddPhoto() {
      const s = state(this);
      try {
        const picked = await wx.chooseMedia({
          count: MAX_PHOTOS - s.photos.length,
          mediaType: ['image'],
          sizeType: ['compressed'],
        });
        for (const file of picked.tempFiles) {
          if (s.photos.length >= MAX_PHOTOS) break;
          const id = await uploadPicture(file.tempFilePath, 'order');
          s.photos.push(id);
          this.setData({ [`photos[${s.photos.length - 1}]`]: pictureSrc(id) });
        }
      } catch (err) {
        // Closing the picker is not an error.
        if ((err as { errMsg?: string }).errMsg?.includes('cancel')) return;
        showError(this, err);
      }
    },

    onRemovePhoto(e: WechatMiniprogram.BaseEvent) {
      const s = state(this);
      s.photos.splice(Number(e.currentTarget.dataset.index), 1);
      this.setData({ photos: s.photos.map(pictureSrc) });
    },

    // ------------------------------------------------------------------ for whom (residents)

    /** The verified household one may order for; none (or a failed read) leaves the form for oneself. */
    async loadFamily() {
      try {
        const home = await memberService.household();
        state(this).familyIds = home.items.map((m) => m.openid);
        if (home.items.length) {
          this.setData({ family: home.items.map((m) => ({ name: m.name, address: addressText(m.building, m.room) })) });
        }
      } catch {
        // Ordering for oneself needs no household.
      }
    },

    async onPickFamily(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const s = state(this);
      const openid = index >= 0 ? s.familyIds[index] : '';
      if (index === this.data.familyPick || (index >= 0 && !openid)) return;
      s.forOpenid = openid;
      this.setData({ familyPick: index, reason: '' });
      await this.recheck();
    },

    // ------------------------------------------------------------------ for whom (workers)

    async onPickMode(e: WechatMiniprogram.BaseEvent) {
      const mode = String(e.currentTarget.dataset.mode);
      if (mode === this.data.forMode || !this.data.isWorker) return;
      const s = state(this);
      s.forOpenid = '';
      s.memberIds = [];
      s.memberPage = 0;
      // Ordering for someone: whether the item suits them is known once they are chosen.
      this.setData({ forMode: mode, building: '', members: [], membersMore: false, chosen: null, forError: '', reason: '' });
      if (mode === 'self') await this.recheck();
    },

    async onPickBuilding(e: WechatMiniprogram.BaseEvent) {
      const building = String(e.currentTarget.dataset.building);
      const s = state(this);
      s.memberIds = [];
      s.memberPage = 0;
      s.forOpenid = '';
      this.setData({ building, members: [], membersMore: false, chosen: null });
      await this.loadMembers();
    },

    async loadMembers() {
      const s = state(this);
      const building = this.data.building;
      if (!building || this.data.membersLoading) return;
      this.setData({ membersLoading: true });
      try {
        const res = await memberService.list({ status: 'active', building, page: s.memberPage + 1 });
        if (building !== this.data.building) return;
        const patch: Record<string, unknown> = { membersLoading: false, membersMore: res.hasMore };
        res.items.forEach((m: MemberView, i: number) => {
          patch[`members[${s.memberIds.length + i}]`] = { name: m.name, address: addressText(m.building, m.room) };
        });
        s.memberIds.push(...res.items.map((m) => m.openid));
        s.memberPage += 1;
        if (!s.memberIds.length) patch.members = [];
        this.setData(patch);
      } catch (err) {
        this.setData({ membersLoading: false });
        showError(this, err);
      }
    },

    onMoreMembers() {
      return this.loadMembers();
    },

    async onPickMember(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const s = state(this);
      const openid = s.memberIds[index];
      const row = this.data.members[index];
      if (!openid || !row) return;
      s.forOpenid = openid;
      this.setData({ chosen: row, forError: '' });
      await this.recheck();
    },

    onChangeMember() {
      const s = state(this);
      s.forOpenid = '';
      s.seq += 1;
      this.setData({ chosen: null, reason: '' });
    },

    async recheck() {
      try {
        await this.checkService();
      } catch (err) {
        showError(this, err);
      }
    },

    // ------------------------------------------------------------------ submit

    async onSubmit() {
      const s = state(this);
      if (s.submitting || this.data.reason) return;
      const description = s.description.trim();
      const length = Array.from(description).length;
      if (!length && !hasVoiceNote(this)) {
        this.setData({ descriptionError: '请写一写需要帮什么忙，例如：厨房水龙头漏水，想请人来修；也可以按住按钮说' });
        return;
      }
      if (length > MAX_DESCRIPTION) {
        this.setData({ descriptionError: `最多写 ${MAX_DESCRIPTION} 个字，请删掉一些` });
        return;
      }
      if (this.data.forMode === 'other' && !s.forOpenid) {
        this.setData({ forError: '请先选择为哪位居民下单' });
        return;
      }
      s.submitting = true;
      this.setData({ submitting: true });
      // On the tap and before anything else: WeChat only asks for consent from a tap.
      await messagesService.askSubscribe(['order']);
      try {
        const voice = await voiceNoteOf(this);
        const order = await ordersService.create({
          serviceId: s.serviceId,
          ...(description ? { description } : {}),
          ...(voice ? { voice } : {}),
          requestId: s.requestId,
          ...(s.forOpenid ? { forOpenid: s.forOpenid } : {}),
          ...(s.photos.length ? { photos: s.photos.slice() } : {}),
        });
        showSuccess(this, '已提交，社区会尽快安排志愿者');
        wx.redirectTo({ url: withId(ORDER_PAGES.detail, order._id) });
      } catch (err) {
        const message = showError(this, err);
        const patch: Record<string, unknown> = { submitting: false };
        if (isServiceError(err) && (err.code === 'E_CONTENT_REJECTED' || err.code === 'E_VALIDATION'))
          patch.descriptionError = message;
        if (isServiceError(err) && err.code === 'E_FORBIDDEN') patch.reason = message;
        // The id already made an order of another body (or the item moved on): the next tap is a new request.
        if (isServiceError(err) && err.code === 'E_CONFLICT') s.requestId = newRequestId();
        this.setData(patch);
        s.submitting = false;
      }
    },

    onGoJoin() {
      openPage(PAGES.mine);
    },

    onBackHome() {
      wx.switchTab({ url: PAGES.home });
    },
  },
});
