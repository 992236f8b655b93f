// 议题详情, also where every topic message lands: the topic, where it is in 民主协商五步工作法,
// its meeting, minutes, decision (with the 议事公示 notice) or why it was declined, the timeline,
// 附议 and the comments (20 a page). A worker sees the next steps as buttons; each opens its form.
import { topicsService, newRequestId, type TopicComment, type TopicDetail } from '../../../services/affairs';
import { pictureSrc } from '../../../services/files';
import { errorMessage, showError, showSuccess } from '../../../services/feedback';
import { isServiceError } from '../../../services/core';
import { FIVE_STEPS, TOPIC_CLOCK_LABELS, TOPIC_STEP_LABELS, type TopicStep } from '../../../shared/topic-labels';
import { LIGHT_LABELS } from '../../../shared/order-labels';
import { shortDateTime } from '../../../utils/format';
import { decodeQueryValue, openPage } from '../../../utils/nav';
import { pagedList, type ListHost } from '../../../utils/paged-list';
import { pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';
import { TOPIC_PAGES, stepText } from '../topic-utils';
import { AFFAIRS_PAGES } from '../utils';

type Phase = 'loading' | 'topic' | 'missing';

const MAX_COMMENT = 300;

interface View {
  title: string;
  status: string;
  statusLabel: string;
  stepText: string;
  body: string;
  photos: string[];
  byline: string;
  listText: string;
  secondCount: number;
  light: string;
  lightText: string;
  deadline: string;
  meeting: { time: string; place: string; invited: string } | null;
  minutes: { text: string; photos: string[]; byline: string } | null;
  decision: { text: string; photos: string[]; byline: string; due: string; voted: boolean } | null;
  declineReason: string;
}

const photosOf = (ids: string[]) => ids.map(pictureSrc);

function viewOf(t: TopicDetail): View {
  return {
    title: t.title,
    status: t.status,
    statusLabel: t.statusLabel,
    stepText: stepText(t.stepsDone, t.status),
    body: t.body,
    photos: photosOf(t.images),
    byline: `${t.proposerName} 提出 · ${shortDateTime(t.createdAt)}`,
    listText: t.listText ?? '',
    secondCount: t.secondCount,
    light: t.light ?? '',
    lightText: t.light ? LIGHT_LABELS[t.light] : '',
    deadline: t.light && t.clock ? `${TOPIC_CLOCK_LABELS[t.clock.step]}时限：${shortDateTime(t.clock.redAt)}` : '',
    meeting:
      t.meeting && t.status !== 'declined'
        ? { time: shortDateTime(t.meeting.at), place: t.meeting.place, invited: t.meeting.invited }
        : null,
    minutes: t.minutes
      ? {
          text: t.minutes.text,
          photos: photosOf(t.minutes.images),
          byline: `${t.minutes.byName} · ${shortDateTime(t.minutes.at)}`,
        }
      : null,
    decision: t.decision
      ? {
          text: t.decision.text,
          photos: photosOf(t.decision.images),
          byline: `${t.decision.byName} · ${shortDateTime(t.decision.at)}`,
          due: shortDateTime(t.decision.dueAt),
          voted: Boolean(t.decision.voteId),
        }
      : null,
    declineReason: t.declineReason ?? '',
  };
}

/** The five steps, each done or not, for the progress strip. */
const fiveOf = (t: TopicDetail) =>
  FIVE_STEPS.map((label, i) => ({ label, done: t.status !== 'declined' ? i < t.stepsDone : i < 1 }));

const timelineOf = (t: TopicDetail) =>
  t.timeline.map((e) => ({
    title: `${e.label} · ${e.actorName}`,
    content: `${shortDateTime(e.at)}${e.note ? `　${e.note}` : ''}`,
  }));

const commentRow = (c: TopicComment) => ({ name: c.name, text: c.text, time: shortDateTime(c.createdAt), mine: c.mine });

const state = privateState(() => ({ id: '', noticeId: '', commentRequest: '', comment: '' }));

const comments = pagedList<TopicComment, Awaited<ReturnType<typeof topicsService.comments>>, object>({
  fetch: (host: ListHost<object>, page: number) => topicsService.comments(state(host).id, page),
  rowOf: commentRow,
  idOf: (c) => c._id,
  loadedKey: 'commentsLoaded',
});

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    message: '',
    topic: null as View | null,
    five: [] as { label: string; done: boolean }[],
    timeline: [] as { title: string; content: string }[],
    seconded: false,
    canSecond: false,
    canComment: false,
    mine: false,
    steps: [] as { step: TopicStep; label: string }[],
    canVote: false,
    items: [] as ReturnType<typeof commentRow>[],
    loading: false,
    commentsLoaded: false,
    hasMore: false,
    loadError: '',
    commentError: '',
    commentLength: 0,
    commentValue: '',
    maxComment: MAX_COMMENT,
    busy: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const s = state(this);
      s.id = decodeQueryValue(query.id);
      s.commentRequest = newRequestId();
      if (!s.id) this.setData({ phase: 'missing', message: '没有找到这个议题，请回到议事列表重新选择' });
    },

    async onShow() {
      if (!state(this).id) return;
      await this.load();
      if (this.data.phase === 'topic') await comments.reload(this);
    },

    onReachBottom() {
      return comments.reachBottom(this);
    },

    async load() {
      const s = state(this);
      try {
        const t = await topicsService.get(s.id);
        s.noticeId = t.decision?.noticeId ?? '';
        this.setData({
          phase: 'topic',
          topic: viewOf(t),
          five: fiveOf(t),
          timeline: timelineOf(t),
          seconded: t.seconded,
          canSecond: t.canSecond,
          canComment: t.canComment,
          mine: t.mine,
          steps: t.steps.map((step) => ({ step, label: TOPIC_STEP_LABELS[step] })),
          // A vote can decide the topic wherever decideTopic takes one: listed, scheduled, discussed.
          canVote: t.steps.includes('decide'),
        });
      } catch (err) {
        if (isServiceError(err) && err.code === 'E_NOT_FOUND') this.setData({ phase: 'missing', message: err.message });
        else if (this.data.phase === 'topic') showError(this, err);
        else this.setData({ phase: 'missing', message: errorMessage(err) });
      }
    },

    async reload() {
      await this.load();
      await comments.reload(this);
    },

    onSecond() {
      return this.act(() => topicsService.second(state(this).id), '已附议，议题有进展会通知你');
    },

    onComment(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const value = e.detail.value || '';
      state(this).comment = value;
      this.setData({
        commentValue: value,
        commentLength: Array.from(value.trim()).length,
        ...(this.data.commentError ? { commentError: '' } : {}),
      });
    },

    async onSendComment() {
      const s = state(this);
      const text = s.comment.trim();
      if (!text) {
        this.setData({ commentError: '请先写下你的意见' });
        return;
      }
      if (Array.from(text).length > MAX_COMMENT) {
        this.setData({ commentError: `意见最多 ${MAX_COMMENT} 个字，请删掉一些` });
        return;
      }
      try {
        await topicsService.comment(s.id, text, s.commentRequest);
        s.comment = '';
        s.commentRequest = newRequestId();
        showSuccess(this, '意见已发表');
        this.setData({ commentLength: 0, commentValue: '' });
        await comments.reload(this);
      } catch (err) {
        const message = showError(this, err);
        if (isServiceError(err) && (err.code === 'E_CONTENT_REJECTED' || err.code === 'E_VALIDATION'))
          this.setData({ commentError: message });
        if (isServiceError(err) && err.code === 'E_CONFLICT') s.commentRequest = newRequestId();
      }
    },

    onStep(e: WechatMiniprogram.BaseEvent) {
      const step = String(e.currentTarget.dataset.step);
      openPage(`${TOPIC_PAGES.act}?id=${encodeURIComponent(state(this).id)}&step=${step}`);
    },

    onPutToVote() {
      openPage(`${AFFAIRS_PAGES.open}?topicId=${encodeURIComponent(state(this).id)}`);
    },

    onOpenNotice() {
      const id = state(this).noticeId;
      if (id) openPage(`/pages/notices/detail/index?id=${encodeURIComponent(id)}`);
    },

    onPreview(e: WechatMiniprogram.BaseEvent) {
      const { urls, current } = e.currentTarget.dataset as { urls: string[]; current: string };
      wx.previewImage({ urls, current });
    },

    onToList() {
      openPage(TOPIC_PAGES.list);
    },
  },
});
