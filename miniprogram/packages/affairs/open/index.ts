// 发起业主表决 (workers): the matter, its type under 民法典 第278条, the scope (the community or
// some buildings), when voting starts (the community's notice period decides the earliest) and when
// it closes. Opening freezes the register of the scope and publishes the announcement. Opened from a
// topic's page (`?topicId=`), the vote is on that topic: its result can then decide the topic.
import { memberService } from '../../../services/member';
import { newRequestId, topicsService, votesService, type VoteMatter } from '../../../services/affairs';
import { isServiceError } from '../../../services/core';
import { errorMessage, showError, showSuccess } from '../../../services/feedback';
import { decodeQueryValue, replacePage } from '../../../utils/nav';
import { pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';
import { DAY_MS, dateText, instantOf, isoText } from '../../../shared/clock';
import { AFFAIRS_PAGES } from '../utils';

const MATTERS: { matter: VoteMatter; label: string; hint: string }[] = [
  { matter: 'ordinary', label: '一般事项', hint: '制定或修改管理规约、选举业委会、选聘物业、使用维修资金等：过半数通过' },
  { matter: 'major', label: '重大事项', hint: '筹集维修资金、改建重建建筑物、改变共有部分用途或利用其从事经营：四分之三通过' },
];

const state = privateState(() => ({ title: '', body: '', topicId: '', requestId: newRequestId() }));

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as 'loading' | 'form' | 'error',
    loadError: '',
    topicTitle: '',
    titleValue: '',
    matters: MATTERS,
    matter: 'ordinary' as VoteMatter,
    whole: true,
    buildings: [] as { name: string; on: boolean }[],
    opensDate: '',
    opensTime: '09:00',
    closesDate: '',
    closesTime: '20:00',
    today: '',
    error: '',
    busy: false,
  },

  methods: {
    async onLoad(query: Record<string, string | undefined> = {}) {
      const s = state(this);
      s.topicId = decodeQueryValue(query.topicId);
      try {
        const [me, topic] = await Promise.all([
          memberService.me(),
          s.topicId ? topicsService.get(s.topicId) : Promise.resolve(null),
        ]);
        // The topic's title is the vote's first draft of its own.
        if (topic) s.title = topic.title;
        const now = Date.now();
        this.setData({
          phase: 'form',
          topicTitle: topic?.title ?? '',
          titleValue: topic?.title ?? '',
          buildings: (me?.buildings ?? []).map((name) => ({ name, on: false })),
          today: dateText(now),
          closesDate: dateText(now + 7 * DAY_MS),
        });
      } catch (err) {
        this.setData({ phase: 'error', loadError: errorMessage(err) });
      }
    },

    onTitle(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).title = e.detail.value;
    },
    onBody(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).body = e.detail.value;
    },
    onPickMatter(e: WechatMiniprogram.BaseEvent) {
      this.setData({ matter: e.currentTarget.dataset.matter as VoteMatter });
    },
    onPickWhole() {
      this.setData({ whole: true, buildings: this.data.buildings.map((b) => ({ ...b, on: false })) });
    },
    onToggleBuilding(e: WechatMiniprogram.BaseEvent) {
      const i = Number(e.currentTarget.dataset.index);
      const on = !this.data.buildings[i].on;
      this.setData({ [`buildings[${i}].on`]: on, whole: !on && this.data.buildings.every((b, j) => j === i || !b.on) });
    },
    onOpensDate(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ opensDate: e.detail.value });
    },
    onOpensTime(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ opensTime: e.detail.value });
    },
    onClosesDate(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ closesDate: e.detail.value });
    },
    onClosesTime(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ closesTime: e.detail.value });
    },

    async onSubmit() {
      const s = state(this);
      const d = this.data;
      if (this.data.busy) return;
      if (!s.title.trim() || !s.body.trim()) {
        this.setData({ error: '请填写标题和表决事项的说明' });
        return;
      }
      this.setData({ error: '' });
      const buildings = d.buildings.filter((b) => b.on).map((b) => b.name);
      const input = {
        title: s.title.trim(),
        body: s.body.trim(),
        matter: d.matter,
        ...(buildings.length ? { buildings } : {}),
        ...(d.opensDate ? { opensAt: isoText(instantOf(d.opensDate, d.opensTime)) } : {}),
        closesAt: isoText(instantOf(d.closesDate, d.closesTime)),
        requestId: s.requestId,
        ...(s.topicId ? { topicId: s.topicId } : {}),
      };
      this.setData({ busy: true });
      try {
        const vote = await votesService.open(input);
        showSuccess(this, '已发起表决并发布公告');
        replacePage(`${AFFAIRS_PAGES.vote}?id=${encodeURIComponent(vote._id)}`);
      } catch (err) {
        // The same request id with another body: the next submit is a new request (conventions.md).
        if (isServiceError(err) && err.code === 'E_CONFLICT') s.requestId = newRequestId();
        showError(this, err);
      } finally {
        this.setData({ busy: false });
      }
    },
  },
});
