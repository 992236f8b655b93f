// Pictures attached to orders, notices and parking spots: only files the caller uploaded, that
// exist in this environment's storage, may be attached.
//
// The mini-program uploads to `uploads/<ownerKey>/<kind>/<name>.<ext>`, where ownerKey is a short
// sha256 of the uploader's openid (member.me answers the prefix as `uploadPrefix`). A file id
// under someone else's key, any other id (an https address, a made-up or foreign cloud:// id) or a
// file that is gone is refused before anything is written. The key is derived, not looked up, so
// the check needs no record of uploads; storage vouches that the file exists when the picture check
// reads it (common/content.ts).
import crypto from 'crypto';
import { assertCleanImages } from './content';
import { envId } from './db';
import { AppError } from './errors';

/** What a picture is for: the folder under the member's uploadPrefix it goes to. */
export const UPLOAD_KINDS = ['order', 'notice', 'spot', 'affairs', 'ledger'] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];

const EXTENSIONS = 'jpg|jpeg|png|gif|webp|heic';

/** The caller's folder in storage (`uploads/<16 hex>/`): stable, and reveals nothing of the openid. */
export function uploadPrefix(openid: string): string {
  const key = crypto.createHash('sha256').update(`linlibang-upload\n${openid}`).digest('hex').slice(0, 16);
  return `uploads/${key}/`;
}

/** An upload's file id in this environment; `owner` is a key or a pattern of keys. */
function uploadIdPattern(owner: string): RegExp {
  const env = envId();
  const envPart = env ? escape(env) : '[a-z0-9-]{1,64}';
  return new RegExp(
    `^cloud://${envPart}\\.[a-z0-9-]{1,80}/uploads/${owner}/(?:${UPLOAD_KINDS.join('|')})/[A-Za-z0-9_-]{8,64}\\.(?:${EXTENSIONS})$`,
  );
}

/** Whether `fileId` has the shape of an upload by `openid` in this environment. */
export function isOwnUpload(fileId: string, openid: string): boolean {
  return uploadIdPattern(escape(uploadPrefix(openid).split('/')[1])).test(fileId);
}

/**
 * Refuses (E_VALIDATION / E_FORBIDDEN) any file id the caller may not attach; then reads each
 * picture from storage and checks its content (a missing file is refused there). Ids in `keep` are already attached to the record being edited (checked when
 * they were first attached; a notice's images may have been added by another worker): they pass.
 */
export async function checkAttachments(
  fileIds: readonly string[],
  openid: string,
  options: { keep?: readonly string[] } = {},
): Promise<void> {
  const keep = new Set(options.keep ?? []);
  const fresh = [...new Set(fileIds)].filter((id) => !keep.has(id));
  if (fresh.length === 0) return;
  for (const id of fresh) {
    if (isOwnUpload(id, openid)) continue;
    if (uploadIdPattern('[0-9a-f]{16}').test(id)) throw new AppError('E_FORBIDDEN', '只能添加自己上传的图片，请重新选择图片');
    throw new AppError('E_VALIDATION', '图片需要先上传，请重新选择图片');
  }
  await assertCleanImages(fresh);
}

export function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
