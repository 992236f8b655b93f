// 服务菜单管理 (workers): the community's menu by tier, disabled items too; add an item, edit one,
// or stop / restart offering it (saveService). Editing keeps the item's step limits as they are
// in effect now, except the serve time the form shows.
import { errorMessage, showError, showSuccess } from '../../../services/feedback';
import { isServiceError } from '../../../services/core';
import { memberService, type Tag } from '../../../services/member';
import { ordersService, type SaveServiceInput, type ServiceView, type Tier } from '../../../services/orders';
import { privateState } from '../../../utils/state';
import { TIER_LABELS } from '../../../shared/order-labels';
import { excerpt, priceText } from '../../../utils/orders';
import { pageBehavior } from '../../../utils/page-behavior';

type Phase = 'loading' | 'list' | 'form' | 'error';

interface ItemRow {
  name: string;
  price: string;
  description: string;
  enabled: boolean;
  tags: string;
  skills: string;
  serveHours: string;
  busy: boolean;
}

interface Form {
  name: string;
  tier: Tier;
  price: string;
  description: string;
  tags: Tag[];
  skills: string;
  serveHours: string;
}

type FormErrors = Partial<Record<'name' | 'price' | 'description' | 'tags' | 'serveHours', string>>;

const TAG_OPTIONS: Tag[] = ['独居老人', '高龄', '残疾', '低保', '优抚'];
const TIER_OPTIONS: { value: Tier; label: string }[] = [
  { value: 'basic', label: TIER_LABELS.basic },
  { value: 'value_added', label: TIER_LABELS.value_added },
  { value: 'discounted', label: TIER_LABELS.discounted },
];

const state = privateState(() => ({
  /** Items by group and position, as shown. */
  items: [] as ServiceView[][],
  /** The item being edited; undefined for a new one. */
  editing: undefined as ServiceView | undefined,
  form: emptyForm(),
  loading: false,
}));

function emptyForm(): Form {
  return { name: '', tier: 'basic', price: '0', description: '', tags: [], skills: '', serveHours: '24' };
}

const hoursText = (minutes: number) => String(Math.round((minutes / 60) * 10) / 10);

function rowOf(x: ServiceView): ItemRow {
  return {
    name: x.name,
    price: priceText(x.price),
    description: excerpt(x.description, 50),
    enabled: x.enabled,
    tags: x.eligibleTags.join('、'),
    skills: x.skills.join('、'),
    serveHours: hoursText(x.stepLimits.serve),
    busy: false,
  };
}

/** The form as the function wants it, or what to fix. */
function inputOf(form: Form, editing: ServiceView | undefined): { input?: SaveServiceInput; errors: FormErrors } {
  const errors: FormErrors = {};
  const name = form.name.trim();
  const description = form.description.trim();
  if (!name) errors.name = '请填写服务名称';
  else if (Array.from(name).length > 20) errors.name = '服务名称最多 20 个字';
  if (!description) errors.description = '请写一句服务说明，居民点单时会看到';
  const yuan = Number(form.price.trim() || '0');
  const price = Math.round(yuan * 100);
  if (!Number.isFinite(yuan) || yuan < 0 || yuan > 100000) errors.price = '请填写 0 到 100000 之间的价格（元）';
  else if (form.tier === 'basic' && price !== 0) errors.price = '基础服务对居民免费，价格请填 0';
  if (form.tier === 'discounted' && form.tags.length === 0) errors.tags = '特惠服务请至少选择一个适用人群';
  const hours = Number(form.serveHours.trim());
  if (!Number.isFinite(hours) || hours < 1 || hours > 720) errors.serveHours = '服务时限请填 1 到 720 小时';
  if (Object.keys(errors).length) return { errors };
  const skills = form.skills
    .split(/[,，、\s]+/)
    .map((k) => k.trim())
    .filter(Boolean)
    .slice(0, 10);
  const limits = editing ? editing.stepLimits : undefined;
  const input: SaveServiceInput = {
    serviceName: name,
    tier: form.tier,
    description,
    price,
    enabled: editing ? editing.enabled : true,
    skills,
    stepLimits: { ...(limits ?? {}), serve: Math.round(hours * 60) },
  };
  if (form.tier === 'discounted') input.eligibleTags = form.tags;
  if (editing) input.serviceId = editing._id;
  return { input, errors };
}

/** The same item with only `enabled` changed. */
function toggled(x: ServiceView): SaveServiceInput {
  const input: SaveServiceInput = {
    serviceId: x._id,
    serviceName: x.name,
    tier: x.tier,
    description: x.description,
    price: x.price,
    skills: x.skills,
    enabled: !x.enabled,
    stepLimits: x.stepLimits,
    sort: x.sort,
  };
  if (x.tier === 'discounted') input.eligibleTags = x.eligibleTags;
  return input;
}

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    loadError: '',
    groups: [] as { label: string; items: ItemRow[] }[],
    tierOptions: TIER_OPTIONS,
    tagOptions: TAG_OPTIONS,
    editingName: '',
    form: emptyForm(),
    errors: {} as FormErrors,
    saving: false,
  },

  methods: {
    onLoad() {
      return this.load();
    },

    async onPullDownRefresh() {
      if (this.data.phase !== 'form') await this.load();
      wx.stopPullDownRefresh();
    },

    async load() {
      const s = state(this);
      if (s.loading) return;
      s.loading = true;
      try {
        const [me, menu] = await Promise.all([memberService.me(), ordersService.menu()]);
        if (!me || me.status !== 'active' || !me.roles.includes('worker')) {
          // The function refuses every edit anyway; say so before anyone tries.
          this.setData({ phase: 'error', loadError: '服务菜单只能由社区工作者管理。' });
          return;
        }
        s.items = menu.tiers.map((t) => t.items);
        this.setData({
          phase: 'list',
          loadError: '',
          groups: menu.tiers.map((t) => ({ label: t.label, items: t.items.map(rowOf) })),
        });
      } catch (err) {
        this.setData({ phase: 'error', loadError: errorMessage(err) });
      } finally {
        s.loading = false;
      }
    },

    itemAt(e: WechatMiniprogram.BaseEvent): { x?: ServiceView; g: number; i: number } {
      const g = Number(e.currentTarget.dataset.group);
      const i = Number(e.currentTarget.dataset.index);
      return { x: (state(this).items[g] || [])[i], g, i };
    },

    async onToggle(e: WechatMiniprogram.BaseEvent) {
      const { x, g, i } = this.itemAt(e);
      if (!x || this.data.groups[g].items[i].busy) return;
      if (x.enabled) {
        const answer = await wx.showModal({
          title: `停用「${x.name}」？`,
          content: '停用后居民不能再点这项服务；已下的订单不受影响。',
          confirmText: '停用',
          cancelText: '再想想',
        });
        if (!answer.confirm) return;
      }
      const path = `groups[${g}].items[${i}]`;
      this.setData({ [`${path}.busy`]: true });
      try {
        const saved = await ordersService.saveService(toggled(x));
        state(this).items[g][i] = saved;
        this.setData({ [path]: rowOf(saved) });
        showSuccess(this, saved.enabled ? `已恢复「${saved.name}」` : `已停用「${saved.name}」`);
      } catch (err) {
        this.setData({ [`${path}.busy`]: false });
        showError(this, err);
        if (isServiceError(err) && err.code === 'E_CONFLICT') await this.load();
      }
    },

    openForm(editing: ServiceView | undefined) {
      const s = state(this);
      s.editing = editing;
      s.form = editing
        ? {
            name: editing.name,
            tier: editing.tier,
            price: String(editing.price / 100),
            description: editing.description,
            tags: [...editing.eligibleTags],
            skills: editing.skills.join('、'),
            serveHours: hoursText(editing.stepLimits.serve),
          }
        : emptyForm();
      this.setData({ phase: 'form', editingName: editing ? editing.name : '', form: s.form, errors: {} });
    },

    onAdd() {
      this.openForm(undefined);
    },

    onEdit(e: WechatMiniprogram.BaseEvent) {
      const { x } = this.itemAt(e);
      if (x) this.openForm(x);
    },

    onCancelForm() {
      this.setData({ phase: 'list', errors: {} });
    },

    onField(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const field = String(e.currentTarget.dataset.field) as 'name' | 'price' | 'description' | 'skills' | 'serveHours';
      state(this).form[field] = e.detail.value || '';
      if ((this.data.errors as Record<string, string | undefined>)[field]) this.setData({ [`errors.${field}`]: '' });
    },

    onPickTier(e: WechatMiniprogram.BaseEvent) {
      const tier = String(e.currentTarget.dataset.value) as Tier;
      const form = state(this).form;
      form.tier = tier;
      if (tier === 'basic') form.price = '0';
      if (tier !== 'discounted') form.tags = [];
      this.setData({
        'form.tier': tier,
        'form.price': form.price,
        'form.tags': form.tags,
        'errors.price': '',
        'errors.tags': '',
      });
    },

    onToggleTag(e: WechatMiniprogram.BaseEvent) {
      const tag = String(e.currentTarget.dataset.value) as Tag;
      const form = state(this).form;
      form.tags = form.tags.includes(tag) ? form.tags.filter((t) => t !== tag) : [...form.tags, tag];
      this.setData({ 'form.tags': form.tags, 'errors.tags': '' });
    },

    async onSave() {
      const s = state(this);
      if (this.data.saving) return;
      const { input, errors } = inputOf(s.form, s.editing);
      if (!input) {
        this.setData({ errors });
        return;
      }
      this.setData({ saving: true, errors: {} });
      try {
        const saved = await ordersService.saveService(input);
        showSuccess(this, s.editing ? `已保存「${saved.name}」` : `已新增「${saved.name}」`);
        this.setData({ saving: false });
        await this.load();
      } catch (err) {
        this.setData({ saving: false });
        showError(this, err);
      }
    },
  },
});
