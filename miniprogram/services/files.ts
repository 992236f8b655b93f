// Pictures: the one place the mini-program uploads to cloud storage. Orders, notices and parking
// all go through uploadPicture(). A picture goes to the member's own folder (`uploadPrefix` from
// member.me): the functions attach only files under the caller's folder (common/files.ts).
//
// On WeChat it is wx.cloud.uploadFile; with the local-cloud switch (config.ts) it is a multipart
// wx.uploadFile to the local cloud's POST /storage/upload, which records the uploader from x-openid.
import type { UploadKind } from '../../cloudfunctions/member/api';
import { ServiceError, initServices, isServiceError, localCloud } from './core';
import { memberService } from './member';

export type { UploadKind };

const EXTENSIONS = ['jpg', 'jpeg', 'png', 'gif', 'webp', 'heic'];

let prefix: { openid: string; value: Promise<string> } | undefined;

/** The caller's upload folder, asked once per identity. */
function uploadPrefix(): Promise<string> {
  const who = localCloud()?.openid ?? '';
  if (!prefix || prefix.openid !== who) {
    const value = memberService.me().then((me) => {
      if (!me) throw new ServiceError('E_NOT_MEMBER');
      return me.uploadPrefix;
    });
    value.catch(() => (prefix = undefined));
    prefix = { openid: who, value };
  }
  return prefix.value;
}

/** For tests and identity changes: forget the cached folder. */
export function resetUploadPrefix(): void {
  prefix = undefined;
}

function extensionOf(filePath: string): string {
  const ext = (/\.([A-Za-z0-9]{1,5})$/.exec(filePath)?.[1] ?? '').toLowerCase();
  return EXTENSIONS.includes(ext) ? ext : 'jpg';
}

const randomName = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;

/**
 * Uploads a picture (a temp file from wx.chooseMedia) and answers its file id (`cloud://…`) for an
 * order, a notice or a parking spot.
 */
export async function uploadPicture(picked: string, kind: UploadKind): Promise<string> {
  const filePath = await withinCheckLimit(picked);
  const cloudPath = `${await uploadPrefix()}${kind}/${randomName()}.${extensionOf(filePath)}`;
  const local = localCloud();
  try {
    if (local) return await uploadToLocalCloud(local.url, local.openid, cloudPath, filePath);
    initServices();
    const res = await wx.cloud.uploadFile({ cloudPath, filePath });
    return res.fileID;
  } catch (err) {
    if (isServiceError(err)) throw err;
    console.warn(`[services] ${kind} picture upload failed`, err);
    throw new ServiceError('E_NETWORK', '图片没有传上去，请检查网络后再试一次');
  }
}

/** Recorder formats the functions take (common/voice.ts); the recorder writes mp3. */
const VOICE_EXTENSIONS = ['mp3', 'aac', 'm4a'];

/**
 * Uploads a recording (a temp file from wx.getRecorderManager) to the member's `voice/` folder and
 * answers its file id, for orders.create's `voice`.
 */
export async function uploadVoice(filePath: string): Promise<string> {
  const ext = (/\.([A-Za-z0-9]{1,5})$/.exec(filePath)?.[1] ?? '').toLowerCase();
  const cloudPath = `${await uploadPrefix()}voice/${randomName()}.${VOICE_EXTENSIONS.includes(ext) ? ext : 'mp3'}`;
  const local = localCloud();
  try {
    if (local) return await uploadToLocalCloud(local.url, local.openid, cloudPath, filePath);
    initServices();
    const res = await wx.cloud.uploadFile({ cloudPath, filePath });
    return res.fileID;
  } catch (err) {
    if (isServiceError(err)) throw err;
    console.warn('[services] voice upload failed', err);
    throw new ServiceError('E_NETWORK', '语音没有传上去，请检查网络后再录一次');
  }
}

/** WeChat's picture check reads at most 1 MB, so a larger photo is compressed on the phone first. */
const CHECK_MAX_BYTES = 1024 * 1024;

function fileSize(filePath: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    try {
      wx.getFileSystemManager().getFileInfo({
        filePath,
        success: (res) => resolve(res.size),
        fail: () => resolve(undefined),
      });
    } catch {
      resolve(undefined);
    }
  });
}

function compress(src: string, quality: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    wx.compressImage({
      src,
      quality,
      compressedWidth: 1080,
      success: (res) => resolve(res.tempFilePath),
      fail: () => resolve(undefined),
    });
  });
}

/** The picture itself when it is small enough, else a compressed copy (the function refuses what stays too large). */
async function withinCheckLimit(filePath: string): Promise<string> {
  const size = await fileSize(filePath);
  if (size === undefined || size <= CHECK_MAX_BYTES) return filePath;
  for (const quality of [70, 40]) {
    const smaller = await compress(filePath, quality);
    const smallerSize = smaller ? await fileSize(smaller) : undefined;
    if (smaller && smallerSize !== undefined && smallerSize <= CHECK_MAX_BYTES) return smaller;
  }
  return filePath;
}

function uploadToLocalCloud(url: string, openid: string, cloudPath: string, filePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.uploadFile({
      url: `${url.replace(/\/+$/, '')}/storage/upload`,
      filePath,
      name: 'file',
      formData: { cloudPath },
      header: { 'x-openid': openid },
      success: (res) => {
        let body: { fileID?: string; message?: string } = {};
        try {
          body = JSON.parse(res.data);
        } catch {
          // not JSON: handled below
        }
        if (res.statusCode === 200 && body.fileID) resolve(body.fileID);
        else if (res.statusCode === 413)
          reject(new ServiceError('E_VALIDATION', body.message || '图片太大，请换一张小一点的图片'));
        else reject(new Error(`HTTP ${res.statusCode}`));
      },
      fail: (err) => reject(err),
    });
  });
}

/**
 * What an <image> shows for a file id. WeChat shows `cloud://` ids itself; on the local cloud the
 * file is served at <url>/storage/<path>.
 */
export function pictureSrc(fileId: string): string {
  const local = localCloud();
  const m = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileId);
  if (!local || !m) return fileId;
  return `${local.url.replace(/\/+$/, '')}/storage/${m[1]}`;
}
