// Compose (and edit a draft or a scheduled notice): title, body, category, audience — the whole
// community or chosen buildings — pinned, optional expiry, pictures, and publish now / at a time /
// save as a draft. A preview shows the notice as residents will see it before it goes out.
import { memberService } from '../../../services/member';
import { uploadPicture } from '../../../services/files';
import {
  noticesService,
  newRequestId,
  CATEGORIES,
  type NoticeCategory,
  type NoticeDetail,
  type PostInput,
} from '../../../services/notices';
import { errorMessage, showError } from '../../../services/feedback';
import { isServiceError } from '../../../services/core';
import { decodeQueryValue } from '../../../utils/nav';
import { privateState } from '../../../utils/state';
import { NOTICE_DETAIL } from '../../../utils/notices';
import { HOUR_MS, clockText, dateText, instantOf, isoText, wallTime } from '../../../shared/clock';
import { pageBehavior } from '../../../utils/page-behavior';

type Phase = 'loading' | 'form' | 'preview' | 'error';
type Mode = 'now' | 'schedule' | 'draft';

interface Errors {
  title: string;
  body: string;
  buildings: string;
  schedule: string;
  expiry: string;
}

const NO_ERRORS: Errors = { title: '', body: '', buildings: '', schedule: '', expiry: '' };
const TITLE_MAX = 40;
const BODY_MAX = 2000;
const IMAGES_MAX = 9;

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
/** The pickers' date and time, read on the community's clock (not the phone's zone), or undefined. */
function pickedInstant(date: string, time: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return undefined;
  const at = instantOf(date, time);
  return Number.isFinite(at.getTime()) ? at : undefined;
}
const length = (s: string) => Array.from(s).length;

const state = privateState(() => ({
  noticeId: '',
  requestId: newRequestId(),
  title: '',
  body: '',
  submitting: false,
}));

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    loadError: '',
    editing: false,
    categories: CATEGORIES as readonly string[],
    category: '通知' as NoticeCategory,
    whole: true,
    buildings: [] as { name: string; on: boolean }[],
    pinned: false,
    mode: 'now' as Mode,
    today: dateText(Date.now()),
    scheduleDate: '',
    scheduleTime: '08:00',
    expiryDate: '',
    expiryTime: '23:59',
    images: [] as string[],
    imagesMax: IMAGES_MAX,
    errors: { ...NO_ERRORS } as Errors,
    formError: '',
    submitting: false,
    /** The preview's copy of the texts (the form keeps them out of data while typing). */
    preview: { title: '', body: '', audience: '', when: '' },
    initialTitle: '',
    initialBody: '',
  },

  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      const s = state(this);
      s.noticeId = decodeQueryValue(query.id);
      try {
        const me = await memberService.me();
        if (!me || me.status !== 'active' || !me.roles.includes('worker')) {
          this.setData({ phase: 'error', loadError: '只有社区工作者可以发布通知' });
          return;
        }
        const buildings = me.buildings.map((name) => ({ name, on: false }));
        if (!s.noticeId) {
          this.setData({ phase: 'form', buildings });
          return;
        }
        const n = await noticesService.get(s.noticeId);
        if (n.state !== 'draft' && n.state !== 'scheduled') {
          this.setData({ phase: 'error', loadError: '只有草稿和定时发布的通知可以修改；已发布的通知请先撤回，再重新发布' });
          return;
        }
        this.fill(n, buildings);
        wx.setNavigationBarTitle({ title: '修改通知' });
      } catch (err) {
        this.setData({ phase: 'error', loadError: errorMessage(err) });
      }
    },

    fill(n: NoticeDetail, buildings: { name: string; on: boolean }[]) {
      const s = state(this);
      s.title = n.title;
      s.body = n.body;
      const at = n.publishAt;
      const until = n.expiresAt;
      this.setData({
        phase: 'form',
        editing: true,
        initialTitle: n.title,
        initialBody: n.body,
        category: n.category,
        whole: n.buildings.length === 0,
        buildings: buildings.map((b) => ({ name: b.name, on: n.buildings.includes(b.name) })),
        pinned: n.pinned,
        mode: n.state === 'draft' ? 'draft' : 'schedule',
        scheduleDate: at ? dateText(at) : '',
        scheduleTime: at ? clockText(at) : '08:00',
        expiryDate: until ? dateText(until) : '',
        expiryTime: until ? clockText(until) : '23:59',
        images: n.images,
      });
    },

    onTitle(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).title = e.detail.value || '';
      if (this.data.errors.title || this.data.formError) this.setData({ 'errors.title': '', formError: '' });
    },

    onBody(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).body = e.detail.value || '';
      if (this.data.errors.body || this.data.formError) this.setData({ 'errors.body': '', formError: '' });
    },

    onPickCategory(e: WechatMiniprogram.BaseEvent) {
      this.setData({ category: String(e.currentTarget.dataset.category) as NoticeCategory });
    },

    onPickWhole() {
      this.setData({ whole: true, 'errors.buildings': '' });
    },

    onToggleBuilding(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      const b = this.data.buildings[index];
      if (!b) return;
      const on = !b.on;
      const anyOn = on || this.data.buildings.some((x, i) => i !== index && x.on);
      this.setData({ [`buildings[${index}].on`]: on, whole: !anyOn, 'errors.buildings': '' });
    },

    onTogglePinned() {
      this.setData({ pinned: !this.data.pinned });
    },

    onPickMode(e: WechatMiniprogram.BaseEvent) {
      const mode = String(e.currentTarget.dataset.mode) as Mode;
      const patch: Record<string, unknown> = { mode, 'errors.schedule': '' };
      if (mode === 'schedule' && !this.data.scheduleDate) {
        const soon = Date.now() + HOUR_MS;
        patch.scheduleDate = dateText(soon);
        patch.scheduleTime = `${pad(wallTime(soon).hour)}:00`;
      }
      this.setData(patch);
    },

    onScheduleDate(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ scheduleDate: e.detail.value, 'errors.schedule': '' });
    },
    onScheduleTime(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ scheduleTime: e.detail.value, 'errors.schedule': '' });
    },
    onExpiryDate(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ expiryDate: e.detail.value, 'errors.expiry': '' });
    },
    onExpiryTime(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ expiryTime: e.detail.value, 'errors.expiry': '' });
    },
    onClearExpiry() {
      this.setData({ expiryDate: '', 'errors.expiry': '' });
    },

    async onAddImage() {
      const room = IMAGES_MAX - this.data.images.length;
      if (room <= 0) return;
      let paths: string[];
      try {
        const res = await wx.chooseMedia({ count: room, mediaType: ['image'], sizeType: ['compressed'] });
        paths = res.tempFiles.map((f) => f.tempFilePath);
      } catch {
        return; // Cancelled.
      }
      for (const path of paths) {
        try {
          const fileId = await uploadPicture(path, 'notice');
          this.setData({ [`images[${this.data.images.length}]`]: fileId });
        } catch (err) {
          showError(this, err);
          return;
        }
      }
    },

    onRemoveImage(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      this.setData({ images: this.data.images.filter((_, i) => i !== index) });
    },

    /** The payload, or undefined after showing what to fix. */
    collect(): PostInput | undefined {
      const s = state(this);
      const d = this.data;
      const errors: Errors = { ...NO_ERRORS };
      const title = s.title.trim();
      const body = s.body.trim();
      if (!title) errors.title = '请填写标题';
      else if (length(title) > TITLE_MAX) errors.title = `标题不能超过 ${TITLE_MAX} 个字`;
      if (!body) errors.body = '请填写通知内容';
      else if (length(body) > BODY_MAX) errors.body = `内容不能超过 ${BODY_MAX} 个字`;
      const chosen = d.buildings.filter((b) => b.on).map((b) => b.name);
      if (!d.whole && !chosen.length) errors.buildings = '请选择楼栋，或选“全体居民”';
      const now = Date.now();
      let publishAt: Date | undefined;
      if (d.mode === 'schedule') {
        publishAt = pickedInstant(d.scheduleDate, d.scheduleTime);
        if (!publishAt) errors.schedule = '请选择发布日期和时间';
        else if (publishAt.getTime() <= now + 60_000) errors.schedule = '定时发布的时间要晚于现在，请重新选择';
      }
      let expiresAt: Date | undefined;
      if (d.expiryDate) {
        expiresAt = pickedInstant(d.expiryDate, d.expiryTime || '23:59');
        const from = publishAt && d.mode === 'schedule' ? publishAt.getTime() : now;
        if (!expiresAt || expiresAt.getTime() <= from) errors.expiry = '有效期要晚于发布时间，请重新选择或清除';
      }
      if (Object.values(errors).some(Boolean)) {
        this.setData({ errors, formError: '请按红字提示修改后再提交', phase: 'form' });
        return undefined;
      }
      return {
        title,
        body,
        category: d.category,
        buildings: d.whole ? [] : chosen,
        pinned: d.pinned,
        ...(expiresAt ? { expiresAt: isoText(expiresAt) } : {}),
        ...(d.images.length ? { images: d.images } : {}),
        ...(publishAt && d.mode === 'schedule' ? { publishAt: isoText(publishAt) } : {}),
        ...(d.mode === 'draft' ? { draft: true } : {}),
      };
    },

    onPreview() {
      const input = this.collect();
      if (!input) return;
      const d = this.data;
      const when =
        d.mode === 'draft'
          ? '保存为草稿，暂不发布'
          : d.mode === 'schedule'
            ? `将于 ${d.scheduleDate} ${d.scheduleTime} 发布`
            : '点“确认发布”后立即发布';
      const audience = input.buildings && input.buildings.length ? input.buildings.join('、') : '全体居民';
      this.setData({ phase: 'preview', preview: { title: input.title, body: input.body, audience, when } });
    },

    onBackToForm() {
      this.setData({ phase: 'form' });
    },

    async onSubmit() {
      const s = state(this);
      if (s.submitting) return;
      const input = this.collect();
      if (!input) return;
      s.submitting = true;
      this.setData({ submitting: true, formError: '' });
      try {
        const notice = s.noticeId
          ? await noticesService.update({ noticeId: s.noticeId, ...input })
          : await noticesService.post({ ...input, requestId: s.requestId });
        s.requestId = newRequestId();
        const done = notice.state === 'draft' ? '草稿已保存' : notice.state === 'scheduled' ? '已设定定时发布' : '通知已发布';
        wx.showToast({ title: done, icon: 'success', duration: 1500 });
        wx.redirectTo({ url: `${NOTICE_DETAIL}?id=${encodeURIComponent(notice._id)}` });
      } catch (err) {
        const message = showError(this, err);
        // The id already made a notice of another body: the next tap is a new request.
        if (isServiceError(err) && err.code === 'E_CONFLICT' && !s.noticeId) s.requestId = newRequestId();
        const field =
          isServiceError(err) && err.code === 'E_CONTENT_REJECTED' ? (message.includes('标题') ? 'title' : 'body') : '';
        this.setData({ phase: 'form', formError: message, ...(field ? { [`errors.${field}`]: message } : {}) });
      } finally {
        s.submitting = false;
        this.setData({ submitting: false });
      }
    },
  },
});
