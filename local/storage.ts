// Cloud storage on the local cloud: the node-sdk's `storage.*` actions at /tcb, the upload PUT and
// temp-URL GET the SDK then sends (what COS answers in production), and a multipart upload for
// the mini-program (POST /storage/upload, caller from x-openid) that stands in for wx.cloud's
// private upload protocol. Files live under <dataDir>/storage/ and survive restarts.
//
// Request and reply shapes follow node_modules/@cloudbase/node-sdk/src/storage/index.ts:
//   storage.getUploadMetadata {path, method:'put'} → {data:{url, token, authorization, fileId, cosFileId, download_url}}
//     then PUT <url> (headers authorization, x-cos-security-token, x-cos-meta-fileid, key), body = bytes;
//     success is an empty body, failure a COS <Error> XML (Code, Message, RequestId, TraceId).
//   storage.batchGetDownloadUrl {file_list:[{fileid, max_age?}]} → {data:{download_list:[{fileID, tempFileURL, code}]}}
//   storage.batchDeleteFile {fileid_list:[…]} → {data:{delete_list:[{fileID, code}]}}
//   downloadFile: batchGetDownloadUrl, then GET encodeURI(tempFileURL), 200 = the bytes.
// This file holds the file store and the /tcb actions; the HTTP side (/storage/…) is storage-http.ts.
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { LOCAL_ENV } from './functions';

/** The bucket of the local environment, shaped like CloudBase's (`<hex of the env's first two chars>-<env>-<appid>`). */
export const LOCAL_BUCKET = `${Buffer.from(LOCAL_ENV.slice(0, 2)).toString('hex')}-${LOCAL_ENV}-1250000000`;
/** What every local file id starts with: `cloud://local.6c6f-local-1250000000/`. */
export const FILE_ID_PREFIX = `cloud://${LOCAL_ENV}.${LOCAL_BUCKET}/`;
/** Largest file the local cloud stores. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
const MAX_PATH = 1024;
const MAX_FILES_PER_CALL = 50;
const MAX_AGE_DEFAULT = 86400;

export interface FileMeta {
  fileID: string;
  cloudPath: string;
  /** The openid of the mini-program user who uploaded it; null for server-side (SDK) uploads. */
  uploader: string | null;
  size: number;
  contentType: string;
  uploadedAt: string;
}

/** A storage failure answered the SDK's way: `{ code, message }`. */
export class StorageError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }

  toJSON(): { code: string; message: string } {
    return { code: this.code, message: this.message };
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.heic': 'image/heic',
  '.bmp': 'image/bmp',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.mp4': 'video/mp4',
};

export const contentTypeOf = (cloudPath: string): string =>
  CONTENT_TYPES[path.extname(cloudPath).toLowerCase()] ?? 'application/octet-stream';

/** The cloud path, or a StorageError saying what is wrong with it. */
export function checkCloudPath(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_PATH)
    throw new StorageError('INVALID_PARAM', `cloudPath must be 1-${MAX_PATH} characters`);
  // Kept out so that the path can travel unencoded in a temp URL, as CloudBase's do.
  if (/[\u0000-\u001f\u007f?#%\\]/.test(value))
    throw new StorageError('INVALID_PARAM', 'cloudPath must not contain control characters, ?, #, % or \\');
  const segments = value.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..'))
    throw new StorageError('INVALID_PARAM', 'cloudPath must be relative, without empty, . or .. segments');
  return value;
}

/** The cloud path of one of this environment's file ids, or undefined. */
export function cloudPathOf(fileID: unknown): string | undefined {
  if (typeof fileID !== 'string' || !fileID.startsWith(FILE_ID_PREFIX)) return undefined;
  try {
    return checkCloudPath(fileID.slice(FILE_ID_PREFIX.length));
  } catch {
    return undefined;
  }
}

export class LocalStorage {
  private readonly objects: string;
  private readonly metas: string;
  /** Signs upload URLs handed out by getUploadMetadata (a restart invalidates unused ones, like expiry). */
  private readonly secret = crypto.randomBytes(32);
  /** The local cloud's URL, known once it listens. */
  baseUrl = '';

  constructor(dataDir: string) {
    const root = path.join(dataDir, 'storage');
    this.objects = path.join(root, 'objects');
    this.metas = path.join(root, 'meta');
    fs.mkdirSync(this.objects, { recursive: true });
    fs.mkdirSync(this.metas, { recursive: true });
  }

  // ---- the store ---------------------------------------------------------------------------

  private key(cloudPath: string): string {
    return crypto.createHash('sha256').update(cloudPath).digest('hex');
  }

  /** Stores a file (replacing one at the same path) and answers its record. */
  async put(cloudPathRaw: string, content: Buffer, uploader: string | null): Promise<FileMeta> {
    const cloudPath = checkCloudPath(cloudPathRaw);
    if (content.length > MAX_FILE_BYTES) throw tooLarge();
    const key = this.key(cloudPath);
    const meta: FileMeta = {
      fileID: FILE_ID_PREFIX + cloudPath,
      cloudPath,
      uploader,
      size: content.length,
      contentType: contentTypeOf(cloudPath),
      uploadedAt: new Date().toISOString(),
    };
    // Bytes first, then the record that makes the file exist; each written whole and renamed in.
    await writeAtomic(path.join(this.objects, key), content);
    await writeAtomic(path.join(this.metas, `${key}.json`), Buffer.from(JSON.stringify(meta)));
    return meta;
  }

  async stat(cloudPath: string): Promise<FileMeta | undefined> {
    const key = this.key(cloudPath);
    try {
      const meta = JSON.parse(await fs.promises.readFile(path.join(this.metas, `${key}.json`), 'utf8')) as FileMeta;
      await fs.promises.access(path.join(this.objects, key));
      return meta.cloudPath === cloudPath ? meta : undefined;
    } catch {
      return undefined;
    }
  }

  async read(cloudPath: string): Promise<{ meta: FileMeta; content: Buffer } | undefined> {
    const meta = await this.stat(cloudPath);
    if (!meta) return undefined;
    try {
      return { meta, content: await fs.promises.readFile(path.join(this.objects, this.key(cloudPath))) };
    } catch {
      return undefined;
    }
  }

  async remove(cloudPath: string): Promise<boolean> {
    if (!(await this.stat(cloudPath))) return false;
    const key = this.key(cloudPath);
    await fs.promises.rm(path.join(this.metas, `${key}.json`), { force: true });
    await fs.promises.rm(path.join(this.objects, key), { force: true });
    return true;
  }

  /** Where the bytes of a file are served: the path unencoded, as CloudBase's temp URLs are. */
  tempFileURL(cloudPath: string, maxAge = MAX_AGE_DEFAULT): string {
    const t = Math.floor(Date.now() / 1000) + maxAge;
    return `${this.baseUrl}/storage/${cloudPath}?t=${t}`;
  }

  // ---- the SDK's actions at /tcb ------------------------------------------------------------

  handles(action: unknown): boolean {
    return typeof action === 'string' && action.startsWith('storage.');
  }

  async action(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    switch (body.action) {
      case 'storage.getUploadMetadata': {
        const cloudPath = checkCloudPath(body.path);
        if (body.method !== undefined && body.method !== 'put')
          throw new StorageError('INVALID_PARAM', 'the local cloud takes uploads by PUT only');
        const authorization = this.sign(cloudPath);
        return {
          data: {
            url: `${this.baseUrl}/storage/${encodeURI(cloudPath)}`,
            token: 'local',
            authorization,
            fileId: FILE_ID_PREFIX + cloudPath,
            cosFileId: `local-${this.key(cloudPath).slice(0, 24)}`,
            download_url: `${this.baseUrl}/storage/${cloudPath}`,
          },
        };
      }
      case 'storage.batchGetDownloadUrl': {
        const list = asList(body.file_list);
        const download_list = [];
        for (const item of list) {
          const entry = item && typeof item === 'object' ? (item as Record<string, unknown>) : {};
          const fileID = String(entry.fileid ?? '');
          const maxAge = Number(entry.max_age);
          const cloudPath = cloudPathOf(fileID);
          if (!cloudPath) {
            download_list.push({ fileID, tempFileURL: '', code: 'STORAGE_EXCEED_AUTHORITY' });
          } else if (!(await this.stat(cloudPath))) {
            download_list.push({ fileID, tempFileURL: '', code: 'STORAGE_FILE_NONEXIST' });
          } else {
            const age = Number.isFinite(maxAge) && maxAge > 0 ? maxAge : MAX_AGE_DEFAULT;
            download_list.push({ fileID, tempFileURL: this.tempFileURL(cloudPath, age), code: 'SUCCESS' });
          }
        }
        return { data: { download_list } };
      }
      case 'storage.batchDeleteFile': {
        const delete_list = [];
        for (const fileID of asList(body.fileid_list).map(String)) {
          const cloudPath = cloudPathOf(fileID);
          if (!cloudPath) delete_list.push({ fileID, code: 'STORAGE_EXCEED_AUTHORITY' });
          else delete_list.push({ fileID, code: (await this.remove(cloudPath)) ? 'SUCCESS' : 'STORAGE_FILE_NONEXIST' });
        }
        return { data: { delete_list } };
      }
      default:
        throw new StorageError('INVALID_ACTION', `the local cloud does not support "${String(body.action)}"`);
    }
  }

  /** The authorization an upload URL from getUploadMetadata carries (checked by storage-http.ts). */
  sign(cloudPath: string): string {
    return `local ${crypto.createHmac('sha256', this.secret).update(cloudPath).digest('hex')}`;
  }
}

export const tooLarge = () =>
  new StorageError('EXCEED_UPLOAD_MAXFILESIZE', `文件超过 ${MAX_FILE_BYTES / 1024 / 1024} MB，请换一个小一点的文件`);

function asList(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw new StorageError('INVALID_PARAM', 'expected a list of files');
  if (v.length > MAX_FILES_PER_CALL) throw new StorageError('INVALID_PARAM', `at most ${MAX_FILES_PER_CALL} files per call`);
  return v;
}

async function writeAtomic(file: string, content: Buffer): Promise<void> {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}~`;
  await fs.promises.writeFile(tmp, content);
  await fs.promises.rename(tmp, file);
}
