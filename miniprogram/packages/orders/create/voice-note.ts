// The order form's voice message (instead of or besides the text): hold to record, slide up to
// cancel, play it back, remove it (packages/orders/recorder.ts). The recording's upload is kept, so
// a retried submit does not upload it again.
import { CANCEL_SLIDE_PX, HoldRecorder, Player, secondsText, type RecordEnd, type Recording } from '../recorder';
import { uploadVoice } from '../../../services/files';
import { privateState } from '../../../utils/state';

const note = privateState(() => ({
  voice: undefined as Recording | undefined,
  fileId: '',
  recorder: undefined as HoldRecorder | undefined,
  player: undefined as Player | undefined,
  holdY: 0,
}));

/** The recorded message for the order, uploaded on first use; undefined when there is none. */
export async function voiceNoteOf(host: object): Promise<{ fileId: string; seconds: number } | undefined> {
  const s = note(host);
  if (!s.voice) return undefined;
  if (!s.fileId) s.fileId = await uploadVoice(s.voice.tempFilePath);
  return { fileId: s.fileId, seconds: s.voice.seconds };
}

/** Whether a message is recorded (then the description may stay empty). */
export const hasVoiceNote = (host: object): boolean => Boolean(note(host).voice);

export const voiceNoteBehavior = Behavior({
  data: {
    /** The voice message: '' none, else `语音 7″`; `voiceHold` while the button is held. */
    voiceText: '',
    voiceHold: false,
    voiceCancelling: false,
    voicePlaying: false,
    voiceError: '',
  },

  lifetimes: {
    detached() {
      const s = note(this);
      s.recorder?.stop(true);
      s.player?.stop();
    },
  },

  methods: {
    onVoiceStart(e: WechatMiniprogram.TouchEvent) {
      const s = note(this);
      if ((this.data as { submitting?: boolean }).submitting || this.data.voiceHold) return;
      s.recorder = s.recorder || new HoldRecorder((end) => this.onVoiceEnd(end));
      s.holdY = e.touches && e.touches[0] ? e.touches[0].clientY : 0;
      s.recorder.start();
      this.setData({ voiceHold: true, voiceCancelling: false, voiceError: '' });
    },

    onVoiceMove(e: WechatMiniprogram.TouchEvent) {
      if (!this.data.voiceHold) return;
      const y = e.touches && e.touches[0] ? e.touches[0].clientY : note(this).holdY;
      const cancelling = note(this).holdY - y > CANCEL_SLIDE_PX;
      if (cancelling !== this.data.voiceCancelling) this.setData({ voiceCancelling: cancelling });
    },

    onVoiceRelease() {
      if (!this.data.voiceHold) return;
      note(this).recorder?.stop(this.data.voiceCancelling);
    },

    onVoiceAbort() {
      if (this.data.voiceHold) note(this).recorder?.stop(true);
    },

    onVoiceEnd(end: RecordEnd) {
      const s = note(this);
      const patch: Record<string, unknown> = { voiceHold: false, voiceCancelling: false };
      if (end.kind === 'done') {
        s.voice = end.recording;
        s.fileId = '';
        patch.voiceText = `语音 ${secondsText(end.recording.seconds)}`;
        patch.descriptionError = ''; // the text is optional now
      } else if (end.kind === 'short') patch.voiceError = '说话时间太短，请按住按钮多说几句';
      else if (end.kind === 'failed') patch.voiceError = end.message;
      this.setData(patch);
    },

    onVoicePlay() {
      const s = note(this);
      if (!s.voice) return;
      s.player = s.player || new Player();
      if (this.data.voicePlaying) {
        s.player.stop();
        this.setData({ voicePlaying: false });
        return;
      }
      this.setData({ voicePlaying: true });
      s.player.play(s.voice.tempFilePath, () => this.setData({ voicePlaying: false }));
    },

    onVoiceRemove() {
      const s = note(this);
      s.player?.stop();
      s.voice = undefined;
      s.fileId = '';
      this.setData({ voiceText: '', voicePlaying: false });
    },
  },
});
