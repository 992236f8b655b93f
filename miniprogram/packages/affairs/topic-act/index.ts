// 议题办理: a worker's step of 民主协商五步工作法 on one topic, one form per step — 列入议事清单
// (a note), 安排议事会 (date, time, place, who is invited), 发布会议纪要, 形成决议 (the decision
// and by when it is carried out; published as a 议事公示 notice), 不予采纳 (the reason), 落实进展
// and 落实完成 (a note and pictures). Back on the topic's page when it went through. 形成决议 from a
// vote's result page carries `voteId`: the form shows that vote and its verdict and decides by it.
import { topicsService, votesService, type TopicDetail } from '../../../services/affairs';
import { pictureSrc, uploadPicture } from '../../../services/files';
import { errorMessage, showError, showSuccess } from '../../../services/feedback';
import { isServiceError } from '../../../services/core';
import { DAY_MS, dateText, instantOf, isoText } from '../../../shared/clock';
import { TOPIC_STEPS, TOPIC_STEP_LABELS, type TopicStep } from '../../../shared/topic-labels';
import { decodeQueryValue } from '../../../utils/nav';
import { privateState } from '../../../utils/state';
import { addPictures } from '../topic-utils';
import { pageBehavior } from '../../../utils/page-behavior';

type Phase = 'loading' | 'form' | 'missing';

interface Form {
  /** The step's text: note, minutes, decision or reason. */
  label: string;
  placeholder: string;
  max: number;
  required: boolean;
  pictures: boolean;
  done: string;
}

const FORMS: Record<TopicStep, Form> = {
  accept: {
    label: '说明（选填）',
    placeholder: '例如：居民关注度高，列入今年议事清单',
    max: 200,
    required: false,
    pictures: false,
    done: '已列入议事清单',
  },
  schedule: {
    label: '参会人员',
    placeholder: '例如：3栋楼组长、业委会代表、物业经理、提议居民',
    max: 200,
    required: true,
    pictures: false,
    done: '议事会已安排，已通知提议人和附议的居民',
  },
  minutes: {
    label: '会议纪要',
    placeholder: '到会情况、各方意见、协商结果',
    max: 3000,
    required: true,
    pictures: true,
    done: '会议纪要已发布',
  },
  decide: {
    label: '决议内容',
    placeholder: '决定做什么、谁来做、经费怎么出',
    max: 1500,
    required: true,
    pictures: true,
    done: '决议已形成，已发布议事公示',
  },
  decline: {
    label: '不予采纳的原因',
    placeholder: '请说明原因，提议人和附议的居民都会看到',
    max: 300,
    required: true,
    pictures: false,
    done: '已告知提议人和附议的居民',
  },
  progress: {
    label: '落实进展',
    placeholder: '例如：灯具已采购，下周安装',
    max: 500,
    required: true,
    pictures: true,
    done: '落实进展已记录',
  },
  finish: {
    label: '落实情况',
    placeholder: '例如：已安装完毕并验收',
    max: 500,
    required: true,
    pictures: true,
    done: '已标记落实完成',
  },
};

const MAX_PHOTOS = 6;

/** The vote's verdict as the result page says it; the function refuses any but a passed, closed one. */
function verdictOf(v: { state: string; result?: { quorumMet: boolean; passed: boolean } }): string {
  if (v.state !== 'closed' || !v.result) return '尚未结束计票';
  if (!v.result.quorumMet) return '未生效';
  return v.result.passed ? '通过' : '未通过';
}

const state = privateState(() => ({
  id: '',
  voteId: '',
  step: 'accept' as TopicStep,
  text: '',
  place: '',
  photos: [] as string[],
  submitting: false,
}));

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    message: '',
    step: 'accept' as TopicStep,
    stepLabel: '',
    title: '',
    vote: null as { title: string; verdict: string } | null,
    form: FORMS.accept,
    textError: '',
    placeError: '',
    timeError: '',
    date: '',
    time: '19:00',
    minDate: '',
    dueDate: '',
    photos: [] as string[],
    maxPhotos: MAX_PHOTOS,
    submitting: false,
  },

  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      const s = state(this);
      s.id = decodeQueryValue(query.id);
      const step = TOPIC_STEPS.find((x) => x === query.step);
      if (!s.id || !step) {
        this.setData({ phase: 'missing', message: '没有找到要办理的议题，请回到议题重新选择' });
        return;
      }
      s.step = step;
      s.voteId = step === 'decide' ? decodeQueryValue(query.voteId) : '';
      const today = dateText(Date.now());
      this.setData({
        step,
        stepLabel: TOPIC_STEP_LABELS[step],
        form: FORMS[step],
        minDate: today,
        date: dateText(Date.now() + DAY_MS),
        dueDate: dateText(Date.now() + 30 * DAY_MS),
      });
      wx.setNavigationBarTitle({ title: TOPIC_STEP_LABELS[step] });
      try {
        const [t, v]: [TopicDetail, Awaited<ReturnType<typeof votesService.get>> | null] = await Promise.all([
          topicsService.get(s.id),
          s.voteId ? votesService.get(s.voteId) : Promise.resolve(null),
        ]);
        if (!t.steps.includes(step)) {
          this.setData({ phase: 'missing', message: `这个议题现在不能「${TOPIC_STEP_LABELS[step]}」，请回到议题查看最新进展` });
          return;
        }
        this.setData({ phase: 'form', title: t.title, ...(v ? { vote: { title: v.title, verdict: verdictOf(v) } } : {}) });
      } catch (err) {
        this.setData({ phase: 'missing', message: errorMessage(err) });
      }
    },

    onText(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).text = e.detail.value || '';
      if (this.data.textError) this.setData({ textError: '' });
    },

    onPlace(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).place = e.detail.value || '';
      if (this.data.placeError) this.setData({ placeError: '' });
    },

    onDate(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ date: e.detail.value, timeError: '' });
    },

    onTime(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ time: e.detail.value, timeError: '' });
    },

    onDueDate(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ dueDate: e.detail.value, timeError: '' });
    },

    async onAddPhoto() {
      await addPictures(
        this,
        state(this).photos,
        MAX_PHOTOS,
        (p) => uploadPicture(p, 'affairs'),
        pictureSrc,
        (err) => showError(this, err),
      );
    },

    onRemovePhoto(e: WechatMiniprogram.BaseEvent) {
      const s = state(this);
      s.photos.splice(Number(e.currentTarget.dataset.index), 1);
      this.setData({ photos: s.photos.map(pictureSrc) });
    },

    /** The call this step makes, or null when the form says what is missing. */
    request(): (() => Promise<unknown>) | null {
      const s = state(this);
      const { form, step } = this.data;
      const text = s.text.trim();
      if (form.required && !text) {
        this.setData({ textError: `请填写${form.label}` });
        return null;
      }
      if (Array.from(text).length > form.max) {
        this.setData({ textError: `${form.label}最多 ${form.max} 个字，请删掉一些` });
        return null;
      }
      const topicId = s.id;
      const images = s.photos.length ? { images: s.photos.slice() } : {};
      switch (step) {
        case 'accept':
          return () => topicsService.accept(text ? { topicId, note: text } : { topicId });
        case 'schedule': {
          const place = s.place.trim();
          if (!place) {
            this.setData({ placeError: '请填写议事会地点，例如：社区党群服务中心二楼' });
            return null;
          }
          const at = instantOf(this.data.date, this.data.time);
          if (at.getTime() <= Date.now()) {
            this.setData({ timeError: '议事会时间要晚于现在，请重新选择' });
            return null;
          }
          return () => topicsService.schedule({ topicId, at: isoText(at), place, invited: text });
        }
        case 'minutes':
          return () => topicsService.minutes({ topicId, minutes: text, ...images });
        case 'decide':
          return () =>
            topicsService.decide({
              topicId,
              decision: text,
              dueAt: isoText(instantOf(this.data.dueDate, '18:00')),
              ...(s.voteId ? { voteId: s.voteId } : {}),
              ...images,
            });
        case 'decline':
          return () => topicsService.decline({ topicId, reason: text });
        case 'progress':
          return () => topicsService.progress({ topicId, note: text, ...images });
        case 'finish':
          return () => topicsService.finish({ topicId, note: text, ...images });
        default: {
          const never: never = step;
          throw new Error(`unknown step ${String(never)}`);
        }
      }
    },

    async onSubmit() {
      const s = state(this);
      if (s.submitting) return;
      const run = this.request();
      if (!run) return;
      s.submitting = true;
      this.setData({ submitting: true });
      try {
        await run();
        showSuccess(this, this.data.form.done);
        wx.navigateBack({ delta: 1 });
      } catch (err) {
        const message = showError(this, err);
        if (isServiceError(err) && (err.code === 'E_VALIDATION' || err.code === 'E_CONTENT_REJECTED')) {
          const field = message.includes('地点')
            ? 'placeError'
            : message.includes('时间') || message.includes('期限')
              ? 'timeError'
              : 'textError';
          this.setData({ [field]: message });
        }
        s.submitting = false;
        this.setData({ submitting: false });
      }
    },
  },
});
