// Content checks before anything user-written is stored (product.md §7): WeChat's msgSecCheck for
// text and imgSecCheck for pictures, through the one open-API client (wxopen.ts). Fail closed: a
// check that is neither a clear pass nor a clear reject (an errcode, a quota, a network failure)
// refuses, and the caller writes nothing.
import { AppError } from './errors';
import { cloudApp } from './db';
import type { TextField } from './fields';
import { checkImage, checkText, type Verdict } from './wxopen';

const UNSURE_MESSAGE = '暂时无法完成内容安全检查，内容没有提交，请稍后再试';

function refuseUnsure(what: string, verdict: Verdict): never {
  // Log the code only: never the text or the picture.
  if (verdict.verdict === 'unsure')
    console.error(`[content] ${what} check gave no verdict:`, verdict.failure.errCode ?? 'transport');
  throw new AppError('E_CONTENT_REJECTED', UNSURE_MESSAGE);
}

/**
 * Checks person-written texts (the router passes every `text` field of a payload, fields.ts);
 * throws E_CONTENT_REJECTED naming the field to change. All are checked at once, each with its
 * msgSecCheck scene.
 */
export async function assertCleanText(fields: TextField[], openid: string): Promise<void> {
  const verdicts = await Promise.all(fields.map((f) => checkText(f.text, openid, f.scene)));
  const rejected = verdicts.findIndex((v) => v.verdict === 'reject');
  if (rejected >= 0) throw new AppError('E_CONTENT_REJECTED', `「${fields[rejected].label}」含有不当内容，请修改后再提交`);
  const unsure = verdicts.find((v) => v.verdict !== 'pass');
  if (unsure) refuseUnsure('text', unsure);
}

/** imgSecCheck takes at most 1 MB; the mini-program compresses pictures below it before uploading. */
export const IMAGE_CHECK_MAX_BYTES = 1024 * 1024;

function contentTypeOf(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp';
  if (bytes.subarray(0, 2).toString('latin1') === 'BM') return 'image/bmp';
  return undefined;
}

/**
 * Checks uploaded pictures (cloud storage file ids) before they are attached: each is read from
 * storage and shown to WeChat's picture check, all at once. Throws E_VALIDATION for a file that is
 * gone, is no picture or is too large, E_CONTENT_REJECTED for a refused one or when the check gives
 * no answer.
 */
export async function assertCleanImages(fileIds: string[]): Promise<void> {
  const label = (index: number) => (fileIds.length > 1 ? `第 ${index + 1} 张图片` : '图片');
  const verdicts = await Promise.all(
    fileIds.map(async (fileID, index) => {
      let bytes: Buffer;
      try {
        bytes = (await cloudApp().downloadFile({ fileID })).fileContent as Buffer;
      } catch {
        throw new AppError('E_VALIDATION', `${label(index)}已失效或上传没有完成，请重新选择图片`);
      }
      const contentType = contentTypeOf(bytes);
      if (!contentType)
        throw new AppError('E_VALIDATION', `${fileIds.length > 1 ? `第 ${index + 1} 个文件` : '所选文件'}不是图片，请重新选择`);
      if (bytes.length > IMAGE_CHECK_MAX_BYTES)
        throw new AppError('E_VALIDATION', `${label(index)}太大了，请选择 1 MB 以内的图片`);
      return checkImage(bytes, contentType);
    }),
  );
  const rejected = verdicts.findIndex((v) => v.verdict === 'reject');
  if (rejected >= 0) throw new AppError('E_CONTENT_REJECTED', `${label(rejected)}含有不当内容，请换一张`);
  const unsure = verdicts.find((v) => v.verdict !== 'pass');
  if (unsure) refuseUnsure('image', unsure);
}
