// 亲情代办 — the relative binds (docs/family.md): the elder's share card opens this page with
// `?code=`; someone who got the code in a chat types it. The relative gives a name, how they are
// related and (optionally) a phone; the elder or a community worker confirms, and then 亲情代办
// (home) shows the elder's orders. Nobody needs to be a member of the elder's community.
import { familyService, type Relation } from '../../../services/member';
import { errorMessage } from '../../../services/feedback';
import { RELATIONS } from '../../../shared/family-labels';
import { decodeQueryValue, openPage } from '../../../utils/nav';
import { pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';

const HOME = '/packages/family/home/index';
const state = privateState(() => ({ code: '', name: '', phone: '' }));

const CODE = /^[A-Z0-9]{8}$/;
const normalize = (v: string) => v.replace(/\s+/g, '').toUpperCase();

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'code' as 'code' | 'form' | 'done',
    codeError: '',
    community: '',
    elder: '',
    relations: RELATIONS as readonly string[],
    relation: '' as Relation | '',
    formError: '',
    doneTitle: '',
    busy: false,
  },

  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      const code = normalize(decodeQueryValue(query.code || query.scene));
      if (code) {
        state(this).code = code;
        await this.lookUp();
      }
    },

    onCodeChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).code = normalize(e.detail.value);
      if (this.data.codeError) this.setData({ codeError: '' });
    },

    onCodeSubmit() {
      return this.lookUp();
    },

    async lookUp() {
      const code = state(this).code;
      if (!CODE.test(code)) {
        this.setData({ phase: 'code', codeError: '亲情码是 8 位字母或数字，请对照家人发来的亲情码' });
        return;
      }
      try {
        const info = await familyService.codeInfo(code);
        this.setData({ phase: 'form', community: info.communityName, elder: info.elderName, codeError: '' });
      } catch (err) {
        this.setData({ phase: 'code', codeError: errorMessage(err) });
      }
    },

    onNameChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).name = e.detail.value.trim();
    },
    onPhoneChange(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).phone = e.detail.value.trim();
    },
    onPickRelation(e: WechatMiniprogram.BaseEvent) {
      this.setData({ relation: e.currentTarget.dataset.relation as Relation, formError: '' });
    },

    async onSubmit() {
      const s = state(this);
      const relation = this.data.relation;
      if (!s.name) return this.setData({ formError: '请填写您的姓名，长辈确认时能认出您' });
      if (!relation) return this.setData({ formError: '请选择您和长辈的关系' });
      if (s.phone && !/^1[3-9]\d{9}$/.test(s.phone))
        return this.setData({ formError: '手机号应为 11 位，例如 13812345678；也可以不填' });
      this.setData({ formError: '' });
      await this.act(
        () => familyService.request({ familyCode: s.code, name: s.name, relation, ...(s.phone ? { phone: s.phone } : {}) }),
        '申请已发送',
        (link) =>
          this.setData({
            phase: 'done',
            doneTitle: link.status === 'active' ? `您已和${link.elderName}绑定` : `已发送，等${this.data.elder}确认`,
          }),
      );
    },

    onGoHome() {
      openPage(HOME);
    },
  },
});
