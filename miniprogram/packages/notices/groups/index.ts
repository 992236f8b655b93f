// 楼栋群 (workers): which building each WeChat group chat belongs to. WeChat tells the group's id
// only to someone who opens a card inside that group, so binding takes two steps: share the
// building's binding card into the group, then tap that card in the group. The same page is the
// card's landing page (`?bind=3栋`). Residents who tap it are pointed to the notices.
import { isActiveWorker, memberService } from '../../../services/member';
import { noticesService, type GroupBinding } from '../../../services/notices';
import { errorMessage } from '../../../services/feedback';
import { PAGES, decodeQueryValue, openPage, replacePage } from '../../../utils/nav';
import { privateState } from '../../../utils/state';
import { enableShareMenu, groupCloudId, shareCard } from '../../../utils/share';
import { NOTICE_PAGES } from '../../../utils/notices';
import { pageBehavior } from '../../../utils/page-behavior';

const GROUPS_PAGE = '/packages/notices/groups/index';

type Phase = 'loading' | 'list' | 'bound' | 'message' | 'error';

interface BuildingRow {
  building: string;
  groups: number;
}

const state = privateState(() => ({ communityName: '' }));

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    message: '',
    buildings: [] as BuildingRow[],
    boundBuilding: '',
  },

  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      enableShareMenu();
      const bind = decodeQueryValue(query.bind);
      let worker = false;
      try {
        const me = await memberService.me();
        worker = isActiveWorker(me);
        state(this).communityName = me ? me.communityName : '';
      } catch (err) {
        this.setData({ phase: 'error', message: errorMessage(err) });
        return;
      }
      if (!worker) {
        this.setData({ phase: 'message', message: '这张卡片是社区工作者绑定楼栋群用的。社区通知请在“通知”里查看。' });
        return;
      }
      if (bind) await this.bind(bind);
      else await this.loadList();
    },

    async bind(building: string) {
      const cloudId = await groupCloudId();
      if (!cloudId) {
        this.setData({ phase: 'message', message: '没有识别到群。请先把绑定卡片发到楼栋群，再在群里点开这张卡片。' });
        return;
      }
      try {
        const bound = await noticesService.bindGroup(building, cloudId);
        this.setData({ phase: 'bound', boundBuilding: bound.building });
      } catch (err) {
        this.setData({ phase: 'message', message: errorMessage(err) });
      }
    },

    async loadList() {
      try {
        const [me, groups] = await Promise.all([memberService.me(), noticesService.groups()]);
        const count = (b: string) => groups.items.filter((g: GroupBinding) => g.building === b).length;
        this.setData({ phase: 'list', buildings: (me ? me.buildings : []).map((b) => ({ building: b, groups: count(b) })) });
      } catch (err) {
        this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    /** The building's binding card (from a share button), or an invite to the notices. */
    onShareAppMessage(res: { from?: string; target?: { dataset?: Record<string, unknown> } }) {
      const building = res && res.target && res.target.dataset ? String(res.target.dataset.building || '') : '';
      if (building) return shareCard(`【工作人员】点此绑定${building}楼栋群`, GROUPS_PAGE, { bind: building });
      return shareCard(`${state(this).communityName || '社区'}通知`, NOTICE_PAGES.tab);
    },

    onInvite() {
      openPage(PAGES.workerInvite);
    },

    onDone() {
      replacePage(NOTICE_PAGES.tab);
    },
  },
});
