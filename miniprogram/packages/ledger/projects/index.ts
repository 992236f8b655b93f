// 项目 (方案公开、资金公开、进度公开): every project with its budget against what was spent, as a
// bar, 20 at a time. A worker starts a new project here (name, budget in 元, plan, basis).
import { ledgerService, newRequestId, type ProjectView } from '../../../services/ledger';
import { isActiveWorker, memberService } from '../../../services/member';
import { openPage } from '../../../utils/nav';
import { pagedList } from '../../../utils/paged-list';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';
import { fenOf, projectUrl } from '../format';
import { projectRow, type ProjectRow } from '../views';

const state = privateState(() => ({ requestId: '', name: '', budget: '', plan: '', basis: '' }));
/** The community's projects, 20 a page. */
const list = pagedList({
  fetch: (_host, page: number) => ledgerService.projects(page),
  rowOf: projectRow,
  idOf: (p: ProjectView) => p._id,
});
const length = (s: string) => Array.from(s.trim()).length;

Component({
  behaviors: [pageBehavior],
  data: {
    items: [] as ProjectRow[],
    loading: false,
    loaded: false,
    hasMore: false,
    loadError: '',
    isWorker: false,
    creating: false,
    formError: '',
    busy: false,
  },

  methods: {
    onLoad() {
      state(this).requestId = newRequestId();
      memberService
        .me()
        .then((me) => this.setData({ isWorker: isActiveWorker(me) }))
        .catch(() => undefined);
      return this.load();
    },

    load() {
      return list.reload(this);
    },

    onReachBottom() {
      return list.reachBottom(this);
    },

    onOpen(e: WechatMiniprogram.BaseEvent) {
      openPage(projectUrl(String(e.currentTarget.dataset.project)));
    },

    onStartCreate() {
      this.setData({ creating: true, formError: '' });
    },
    onName(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).name = e.detail.value || '';
    },
    onBudget(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).budget = e.detail.value || '';
    },
    onPlan(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).plan = e.detail.value || '';
    },
    onBasis(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).basis = e.detail.value || '';
    },

    async onCreate() {
      const s = state(this);
      if (isBusy(this)) return;
      const budgetFen = fenOf(s.budget);
      const formError = !length(s.name)
        ? '请写项目名称，例如：3栋楼道粉刷'
        : length(s.name) > 40
          ? '项目名称最多 40 个字'
          : budgetFen === null
            ? '预算请填金额（元），最多两位小数，例如 12000 或 12000.50'
            : '';
      this.setData({ formError });
      if (formError) return;
      await this.act(
        () =>
          ledgerService.createProject({
            name: s.name.trim(),
            budgetFen: budgetFen!,
            ...(length(s.plan) ? { plan: s.plan.trim() } : {}),
            ...(length(s.basis) ? { basis: s.basis.trim() } : {}),
            requestId: s.requestId,
          }),
        '项目已创建',
        (p) => {
          s.requestId = newRequestId();
          this.setData({ creating: false });
          openPage(projectUrl(p._id));
        },
      );
    },
  },
});
