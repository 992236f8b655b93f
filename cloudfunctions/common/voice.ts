// Voice messages (语音点单, docs/orders.md "Voice orders"): an audio file the caller recorded and
// uploaded to `uploads/<key>/voice/<name>.<mp3|aac|m4a>`, checked like a picture (common/files.ts):
// only the caller's own upload, in this environment, that storage has — then its size and format
// from its first bytes. Its content check is asynchronous (WeChat's mediaCheckAsync): `submitVoiceCheck`
// starts it and answers the trace id the verdict will come back with (orders/voice.ts takes the push).
import { cloudApp, envId } from './db';
import { AppError } from './errors';
import { escape, uploadPrefix } from './files';
import { VOICE_MAX_BYTES, VOICE_MAX_SECONDS } from './voice-limits';
import { submitAudioCheck } from './wxopen';

export { VOICE_MAX_BYTES, VOICE_MAX_SECONDS };

/** The folder under the member's upload prefix voice messages go to. */
export const VOICE_KIND = 'voice';
export const VOICE_EXTENSIONS = ['mp3', 'aac', 'm4a'] as const;
/** How long WeChat's checker may take to fetch the file (its temporary URL lives this long). */
const CHECK_URL_SECONDS = 2 * 60 * 60;

function voiceIdPattern(owner: string): RegExp {
  const env = envId();
  const envPart = env ? escape(env) : '[a-z0-9-]{1,64}';
  return new RegExp(
    `^cloud://${envPart}\\.[a-z0-9-]{1,80}/uploads/${owner}/${VOICE_KIND}/[A-Za-z0-9_-]{8,64}\\.(?:${VOICE_EXTENSIONS.join('|')})$`,
  );
}

/** The audio format the bytes are, from their header; undefined for anything else. */
export function audioFormatOf(bytes: Buffer): 'mp3' | 'aac' | 'm4a' | undefined {
  if (bytes.length < 12) return undefined;
  if (bytes.subarray(0, 3).toString('latin1') === 'ID3') return 'mp3';
  if (bytes.subarray(4, 8).toString('latin1') === 'ftyp') return 'm4a';
  // Frame sync: 11 set bits. Layer bits 00 = ADTS (aac); 01/10/11 = MPEG audio layers (mp3).
  if (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0) return (bytes[1] & 0x06) === 0 ? 'aac' : 'mp3';
  return undefined;
}

/**
 * Refuses (E_VALIDATION / E_FORBIDDEN) a voice file id the caller may not attach, one storage does
 * not have, one too large or not audio. Answers nothing: the file is fine to attach.
 */
export async function checkVoiceFile(fileId: string, openid: string): Promise<void> {
  const own = uploadPrefix(openid).split('/')[1];
  if (!voiceIdPattern(escape(own)).test(fileId)) {
    if (voiceIdPattern('[0-9a-f]{16}').test(fileId)) throw new AppError('E_FORBIDDEN', '只能发送自己录的语音，请重新录音');
    throw new AppError('E_VALIDATION', '语音需要先上传，请重新录音');
  }
  let bytes: Buffer;
  try {
    bytes = (await cloudApp().downloadFile({ fileID: fileId })).fileContent as Buffer;
  } catch {
    throw new AppError('E_VALIDATION', '语音已失效或上传没有完成，请重新录音');
  }
  if (bytes.length > VOICE_MAX_BYTES) throw new AppError('E_VALIDATION', `语音太大了，请录 ${VOICE_MAX_SECONDS} 秒以内的语音`);
  if (!audioFormatOf(bytes)) throw new AppError('E_VALIDATION', '所选文件不是语音，请重新录音');
}

/** A temporary address of a stored file, or undefined when storage has none for it. */
export async function tempUrlOf(fileId: string, maxAgeSeconds: number): Promise<string | undefined> {
  try {
    const res = await cloudApp().getTempFileURL({ fileList: [{ fileID: fileId, maxAge: maxAgeSeconds }] });
    const item = res.fileList?.[0];
    return item && item.code === 'SUCCESS' && item.tempFileURL ? item.tempFileURL : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts WeChat's audio check of an attached voice file; answers its trace id. Fail closed: no
 * trace id (an errcode, a quota, the network) refuses the submission (E_CONTENT_REJECTED).
 */
export async function submitVoiceCheck(fileId: string, openid: string): Promise<string> {
  const url = await tempUrlOf(fileId, CHECK_URL_SECONDS);
  if (!url) throw new AppError('E_VALIDATION', '语音已失效或上传没有完成，请重新录音');
  const answer = await submitAudioCheck(url, openid);
  if ('traceId' in answer) return answer.traceId;
  console.error('[content] audio check not started:', answer.failure.errCode ?? 'transport');
  throw new AppError('E_CONTENT_REJECTED', '暂时无法完成语音的内容安全检查，语音没有提交，请稍后再试');
}
