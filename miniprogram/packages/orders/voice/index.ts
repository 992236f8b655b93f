// 语音点单 (docs/elder-mode.md, "Voice orders and 一键求助"): the order form in elder mode — a big
// button per service and one press-and-hold record button, nothing else required. Two taps: pick
// the service (or arrive with it picked from the home page), hold to speak; releasing starts a
// 3-second countdown that sends by itself, during which 试听 / 重录 / 立即发送 stop it. Sliding
// the finger up while holding cancels. The form keeps one request id, so a retry makes one order.
import { uploadVoice } from '../../../services/files';
import { ordersService, type ServiceView } from '../../../services/orders';
import { memberService } from '../../../services/member';
import { errorMessage, showError, showSuccess } from '../../../services/feedback';
import { isServiceError } from '../../../services/core';
import { PAGES, decodeQueryValue, openPage } from '../../../utils/nav';
import { privateState } from '../../../utils/state';
import { pageBehavior } from '../../../utils/page-behavior';
import { ORDER_PAGES, newRequestId, withId } from '../../../utils/orders';
import { CANCEL_SLIDE_PX, HoldRecorder, Player, secondsText, type RecordEnd, type Recording } from '../recorder';

type Phase = 'loading' | 'form' | 'guest' | 'error';

/** Seconds between releasing the button and the automatic send. */
export const SEND_COUNTDOWN = 3;

const state = privateState(() => ({
  serviceIds: [] as string[],
  requestId: '',
  recorder: undefined as HoldRecorder | undefined,
  player: undefined as Player | undefined,
  recording: undefined as Recording | undefined,
  /** The recording's upload, kept for retries: a repeated request must carry the same file. */
  fileId: '',
  startY: 0,
  ticker: undefined as ReturnType<typeof setInterval> | undefined,
  countdown: undefined as ReturnType<typeof setInterval> | undefined,
  sending: false,
}));

const touchY = (e: WechatMiniprogram.TouchEvent): number => {
  const t = (e.touches && e.touches[0]) || (e.changedTouches && e.changedTouches[0]);
  return t ? t.clientY : 0;
};

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    message: '',
    services: [] as string[],
    picked: -1,
    hint: '',
    hintError: false,
    recording: false,
    cancelling: false,
    seconds: 0,
    review: false,
    countdown: 0,
    lengthText: '',
    playing: false,
    sending: false,
  },

  lifetimes: {
    detached() {
      const s = state(this);
      this.stopTimers();
      s.recorder?.stop(true);
      s.player?.stop();
    },
  },

  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      const s = state(this);
      s.requestId = newRequestId();
      s.recorder = new HoldRecorder((end) => this.onRecorded(end));
      s.player = new Player();
      await this.load(decodeQueryValue(query.serviceId));
    },

    async load(serviceId = '') {
      const s = state(this);
      try {
        const me = await memberService.me();
        if (!me || me.status !== 'active') {
          this.setData({ phase: 'guest' });
          return;
        }
        const menu = await ordersService.menu();
        const items: ServiceView[] = [];
        for (const tier of menu.tiers) for (const item of tier.items) if (item.orderable) items.push(item);
        s.serviceIds = items.map((i) => i._id);
        const picked = serviceId ? s.serviceIds.indexOf(serviceId) : -1;
        this.setData({
          phase: 'form',
          services: items.map((i) => i.name),
          picked,
          hint: picked >= 0 ? `要办：${items[picked].name}` : '',
          hintError: false,
        });
      } catch (err) {
        if (isServiceError(err) && err.code === 'E_NOT_MEMBER') this.setData({ phase: 'guest' });
        else this.setData({ phase: 'error', message: errorMessage(err) });
      }
    },

    onPickService(e: WechatMiniprogram.BaseEvent) {
      const index = Number(e.currentTarget.dataset.index);
      if (this.data.recording || state(this).sending) return;
      this.setData({ picked: index, hint: `要办：${this.data.services[index]}`, hintError: false });
    },

    // ------------------------------------------------------------------ hold to record

    onHoldStart(e: WechatMiniprogram.TouchEvent) {
      const s = state(this);
      if (s.sending || this.data.recording || !s.recorder) return;
      if (this.data.picked < 0) {
        this.setData({ hint: '请先点一下上面要办的事，再按住说话', hintError: true });
        return;
      }
      s.startY = touchY(e);
      s.recorder.start();
      this.setData({ recording: true, cancelling: false, seconds: 0 });
      s.ticker = setInterval(() => this.setData({ seconds: this.data.seconds + 1 }), 1000);
    },

    onHoldMove(e: WechatMiniprogram.TouchEvent) {
      if (!this.data.recording) return;
      const cancelling = state(this).startY - touchY(e) > CANCEL_SLIDE_PX;
      if (cancelling !== this.data.cancelling) this.setData({ cancelling });
    },

    onHoldEnd() {
      const s = state(this);
      if (!this.data.recording) return;
      this.clearTicker();
      s.recorder?.stop(this.data.cancelling);
    },

    onHoldCancel() {
      const s = state(this);
      if (!this.data.recording) return;
      this.clearTicker();
      s.recorder?.stop(true);
    },

    onRecorded(end: RecordEnd) {
      const s = state(this);
      this.clearTicker();
      const idle = { recording: false, cancelling: false };
      if (end.kind === 'cancelled') {
        this.setData({ ...idle, hint: '已取消这段录音，可以再按住说话', hintError: false });
        return;
      }
      if (end.kind === 'short') {
        this.setData({ ...idle, hint: '说话时间太短，请按住按钮多说几句', hintError: true });
        return;
      }
      if (end.kind === 'failed') {
        this.setData({ ...idle, hint: end.message, hintError: true });
        return;
      }
      s.recording = end.recording;
      s.fileId = '';
      this.setData({
        ...idle,
        review: true,
        countdown: SEND_COUNTDOWN,
        lengthText: secondsText(end.recording.seconds),
        hint: '',
      });
      s.countdown = setInterval(() => {
        const next = this.data.countdown - 1;
        this.setData({ countdown: next });
        if (next <= 0) {
          this.stopCountdown();
          void this.send();
        }
      }, 1000);
    },

    // ------------------------------------------------------------------ before sending

    onPlay() {
      const s = state(this);
      this.stopCountdown();
      if (!s.recording || !s.player) return;
      if (this.data.playing) {
        s.player.stop();
        this.setData({ playing: false });
        return;
      }
      this.setData({ playing: true });
      s.player.play(s.recording.tempFilePath, () => this.setData({ playing: false }));
    },

    onRedo() {
      const s = state(this);
      if (s.sending) return;
      this.stopCountdown();
      s.player?.stop();
      s.recording = undefined;
      s.fileId = '';
      this.setData({ review: false, countdown: 0, playing: false, hint: '请再按住按钮说一次', hintError: false });
    },

    onSendNow() {
      this.stopCountdown();
      return this.send();
    },

    async send() {
      const s = state(this);
      const recording = s.recording;
      const serviceId = s.serviceIds[this.data.picked];
      if (s.sending || !recording || !serviceId) return;
      s.sending = true;
      s.player?.stop();
      this.setData({ sending: true, playing: false, countdown: 0 });
      try {
        const fileId = s.fileId || (s.fileId = await uploadVoice(recording.tempFilePath));
        const order = await ordersService.create({
          serviceId,
          requestId: s.requestId,
          voice: { fileId, seconds: recording.seconds },
        });
        showSuccess(this, '已发送，社区会尽快安排志愿者');
        wx.redirectTo({ url: withId(ORDER_PAGES.detail, order._id) });
      } catch (err) {
        const message = showError(this, err);
        // The id already made an order of another body: the next send is a new request.
        if (isServiceError(err) && err.code === 'E_CONFLICT') s.requestId = newRequestId();
        this.setData({ sending: false, hint: message, hintError: true });
        s.sending = false;
      }
    },

    // ------------------------------------------------------------------ timers

    clearTicker() {
      const s = state(this);
      if (s.ticker) clearInterval(s.ticker);
      s.ticker = undefined;
    },

    stopCountdown() {
      const s = state(this);
      if (s.countdown) clearInterval(s.countdown);
      s.countdown = undefined;
      if (this.data.countdown) this.setData({ countdown: 0 });
    },

    stopTimers() {
      this.clearTicker();
      this.stopCountdown();
    },

    onGoJoin() {
      openPage(PAGES.mine);
    },

    onRetry() {
      this.setData({ phase: 'loading' });
      return this.load();
    },
  },
});
