// Press-and-hold recording for voice orders (the voice page and the order form): one place that
// speaks to wx.getRecorderManager and wx.createInnerAudioContext, so pages only start, stop and
// play. The recorder writes mono 16 kHz mp3 at 48 kbit/s (~360 KB a minute, under the 1 MB the
// functions take) and stops itself at 60 seconds.

/** Longest recording (the functions refuse more: common/voice-limits.ts). */
export const MAX_SECONDS = 60;
/** Shorter than this is a slip of the finger, not a message. */
export const MIN_MS = 1000;
/** How far (px) the finger slides up to cancel while holding. */
export const CANCEL_SLIDE_PX = 50;

export interface Recording {
  tempFilePath: string;
  seconds: number;
}

/** What the page hears when a recording ends: a recording, too short, cancelled, or a failure. */
export type RecordEnd =
  { kind: 'done'; recording: Recording } | { kind: 'short' } | { kind: 'cancelled' } | { kind: 'failed'; message: string };

export class HoldRecorder {
  private readonly manager = wx.getRecorderManager();
  private cancelled = false;
  private active = false;

  constructor(onEnd: (end: RecordEnd) => void) {
    this.manager.onStop((res) => {
      const wasCancelled = this.cancelled;
      this.active = false;
      if (wasCancelled) return onEnd({ kind: 'cancelled' });
      if (!res.tempFilePath || res.duration < MIN_MS) return onEnd({ kind: 'short' });
      const seconds = Math.min(MAX_SECONDS, Math.max(1, Math.round(res.duration / 1000)));
      onEnd({ kind: 'done', recording: { tempFilePath: res.tempFilePath, seconds } });
    });
    this.manager.onError((err) => {
      this.active = false;
      const denied = /auth|permission|deny/i.test(err.errMsg || '');
      onEnd({ kind: 'failed', message: denied ? '请允许使用麦克风后再按住说话' : '录音没有成功，请再按住说一次' });
    });
  }

  get recording(): boolean {
    return this.active;
  }

  start(): void {
    this.cancelled = false;
    this.active = true;
    this.manager.start({
      duration: MAX_SECONDS * 1000,
      sampleRate: 16000,
      numberOfChannels: 1,
      encodeBitRate: 48000,
      format: 'mp3',
    });
  }

  /** Ends the recording; `cancel` throws it away (slid up, or the page closed). */
  stop(cancel = false): void {
    if (!this.active) return;
    this.cancelled = cancel;
    this.manager.stop();
  }
}

/** Plays one file at a time; a new play stops the last. */
export class Player {
  private audio: WechatMiniprogram.InnerAudioContext | undefined;

  play(src: string, onEnd?: () => void): void {
    this.stop();
    const audio = wx.createInnerAudioContext();
    audio.src = src;
    if (onEnd) {
      audio.onEnded(onEnd);
      audio.onError(onEnd);
    }
    audio.play();
    this.audio = audio;
  }

  stop(): void {
    if (!this.audio) return;
    this.audio.stop();
    this.audio.destroy();
    this.audio = undefined;
  }
}

/** `12″` */
export const secondsText = (seconds: number): string => `${seconds}″`;
