// Landing page of an invite card: `code` (or `scene` from a QR code) and an optional `redirect`
// page to go on to once the stranger has joined.
import { memberService, type InviteInfo, type MemberStatus } from '../../services/member';
import { errorMessage, showError } from '../../services/feedback';
import { isServiceError } from '../../services/core';
import { PAGES, decodeQueryValue, replacePage, safeTarget } from '../../utils/nav';
import { privateState } from '../../utils/state';
import { NO_ERRORS, hasErrors, inviteCodeError, joinFormErrors, normalizeCode, type JoinForm } from '../../utils/validate';
import { pageBehavior } from '../../utils/page-behavior';

type Phase = 'loading' | 'code' | 'form' | 'done';

const state = privateState(() => ({
  code: '',
  redirect: undefined as string | undefined,
  form: { name: '', building: '', room: '', phone: '' } as JoinForm,
  submitting: false,
}));

const DONE_TEXT: Record<MemberStatus, { title: string; hint: string }> = {
  pending: {
    title: '已提交，等待社区审核',
    hint: '社区工作者审核通过后，您会在“我的”里看到“已加入”。审核前再打开邀请卡片，可以修改填写的信息。',
  },
  active: {
    title: '已加入',
    hint: '现在可以使用社区服务了。房号核实前只能为自己预约；同户已核实的家人会收到确认消息，也可以请社区工作人员核实。',
  },
  rejected: { title: '申请未通过', hint: '如有疑问，请联系社区工作者。' },
  left: { title: '已退出社区', hint: '如需重新加入，请向社区工作者索取新的邀请。' },
  removed: { title: '已被移出社区', hint: '如有疑问，请联系社区工作者。' },
};

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    codeError: '',
    inviteError: '',
    communityName: '',
    buildings: [] as string[],
    building: '',
    buildingLocked: false,
    autoApprove: false,
    errors: { ...NO_ERRORS },
    formError: '',
    submitting: false,
    status: '' as MemberStatus | '',
    doneTitle: '',
    doneHint: '',
    hasRedirect: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const s = state(this);
      s.redirect = safeTarget(query.redirect);
      const code = normalizeCode(decodeQueryValue(query.code || query.scene));
      if (!code) {
        this.setData({ phase: 'code', hasRedirect: !!s.redirect });
        return;
      }
      this.setData({ hasRedirect: !!s.redirect });
      return this.openInvite(code);
    },

    async openInvite(code: string) {
      const s = state(this);
      const codeError = inviteCodeError(code);
      if (codeError) {
        this.setData({ phase: 'code', codeError });
        return;
      }
      s.code = code;
      this.setData({ phase: 'loading', codeError: '', inviteError: '' });
      let info: InviteInfo;
      try {
        info = await memberService.inviteInfo(code);
      } catch (err) {
        const message = errorMessage(err);
        const known = isServiceError(err) && (err.code === 'E_NOT_FOUND' || err.code === 'E_VALIDATION');
        this.setData({ phase: 'code', inviteError: known ? message : '', codeError: '' });
        if (!known) showError(this, err);
        return;
      }
      const locked = !!info.building;
      s.form.building = locked ? info.building! : info.buildings.length === 1 ? info.buildings[0] : '';
      this.setData({
        phase: 'form',
        communityName: info.communityName,
        buildings: info.buildings,
        building: s.form.building,
        buildingLocked: locked,
        autoApprove: info.autoApprove,
      });
    },

    onCodeChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).code = normalizeCode(e.detail.value);
      if (this.data.codeError || this.data.inviteError) this.setData({ codeError: '', inviteError: '' });
    },

    onCodeSubmit() {
      return this.openInvite(state(this).code);
    },

    onNameChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.updateField('name', e.detail.value);
    },
    onRoomChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.updateField('room', e.detail.value);
    },
    onPhoneChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.updateField('phone', e.detail.value);
    },
    onBuildingInput(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.updateField('building', e.detail.value);
    },

    onPickBuilding(e: WechatMiniprogram.BaseEvent) {
      if (this.data.buildingLocked) return;
      const building = String(e.currentTarget.dataset.building || '');
      state(this).form.building = building;
      this.setData({ building, 'errors.building': '' });
    },

    /** Keeps typed text out of `data`; only clears a shown error. */
    updateField(field: keyof JoinForm, value: string) {
      state(this).form[field] = value || '';
      if (this.data.errors[field] || this.data.formError) this.setData({ [`errors.${field}`]: '', formError: '' });
    },

    async onSubmit() {
      const s = state(this);
      if (s.submitting) return;
      const errors = joinFormErrors(s.form, true);
      if (hasErrors(errors)) {
        this.setData({ errors, formError: '请按红字提示修改后再提交' });
        return;
      }
      s.submitting = true;
      this.setData({ submitting: true, formError: '' });
      const phone = s.form.phone.replace(/\s+/g, '');
      try {
        const member = await memberService.join({
          inviteCode: s.code,
          name: s.form.name.trim(),
          building: s.form.building.trim() || undefined,
          room: s.form.room.trim(),
          ...(phone ? { phone } : {}),
        });
        const app = getApp<IAppOption>();
        if (app && app.globalData) app.globalData.membershipVersion += 1;
        const text = DONE_TEXT[member.status];
        this.setData({
          phase: 'done',
          status: member.status,
          doneTitle: member.status === 'active' ? `已加入${this.data.communityName}` : text.title,
          doneHint: text.hint,
          submitting: false,
        });
        if (member.status === 'active' && s.redirect) {
          wx.showToast({ title: '已加入社区', icon: 'success', duration: 1500 });
          replacePage(s.redirect);
        }
      } catch (err) {
        this.setData({ submitting: false, formError: showError(this, err) });
      } finally {
        s.submitting = false;
      }
    },

    onContinue() {
      const target = state(this).redirect;
      replacePage(target || PAGES.home);
    },

    onGoHome() {
      replacePage(PAGES.home);
    },

    onGoMine() {
      replacePage(PAGES.mine);
    },
  },
});
