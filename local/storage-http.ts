// Cloud storage's HTTP side on the local cloud (/storage/…): the upload PUT and temp-URL GET that
// node-sdk sends after the /tcb actions (what COS answers in production, errors as COS <Error>
// XML), and the mini-program's multipart upload (POST /storage/upload, caller from x-openid).
// The file store and the /tcb actions are storage.ts.
import crypto from 'crypto';
import http from 'http';
import { parseMultipart, readRaw, send } from './http';
import { MAX_FILE_BYTES, StorageError, checkCloudPath, tooLarge, type LocalStorage } from './storage';

/**
 * Answers a request under /storage/, or returns false for any other path. `openid` is the
 * validated x-openid header (the mini-program's upload).
 */
export async function storageHttp(
  storage: LocalStorage,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  pathname: string,
  openid: string | undefined,
): Promise<boolean> {
  if (pathname === '/storage/upload' && req.method === 'POST') {
    await multipartUpload(storage, req, res, openid);
    return true;
  }
  if (!pathname.startsWith('/storage/')) return false;
  let cloudPath: string;
  try {
    cloudPath = checkCloudPath(decodeURIComponent(pathname.slice('/storage/'.length)));
  } catch {
    drain(req);
    cosError(res, 400, 'InvalidURI', 'Could not parse the specified URI.');
    return true;
  }
  if (req.method === 'PUT') {
    await putUpload(storage, req, res, cloudPath);
    return true;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    drain(req);
    cosError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    return true;
  }
  const t = Number(new URL(req.url ?? '/', 'http://local').searchParams.get('t'));
  if (Number.isFinite(t) && t > 0 && t * 1000 < Date.now()) {
    cosError(res, 403, 'AccessDenied', 'Request has expired');
    return true;
  }
  const file = await storage.read(cloudPath);
  if (!file) {
    cosError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    return true;
  }
  res.writeHead(200, {
    'content-type': file.meta.contentType,
    'content-length': file.content.length,
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, max-age=600',
  });
  res.end(req.method === 'HEAD' ? undefined : file.content);
  return true;
}

/** The upload request node-sdk's uploadFile sends to getUploadMetadata's url. */
async function putUpload(
  storage: LocalStorage,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  cloudPath: string,
): Promise<void> {
  const auth = req.headers.authorization;
  const expected = storage.sign(cloudPath);
  if (
    typeof auth !== 'string' ||
    auth.length !== expected.length ||
    !crypto.timingSafeEqual(Buffer.from(auth), Buffer.from(expected))
  ) {
    drain(req);
    return cosError(
      res,
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    );
  }
  const body = await readRaw(req, MAX_FILE_BYTES);
  if (!body)
    return cosError(
      res,
      400,
      'EntityTooLarge',
      `Your proposed upload exceeds the maximum allowed object size (${MAX_FILE_BYTES} bytes).`,
    );
  await storage.put(cloudPath, body, null);
  res.writeHead(200, { 'content-length': 0 });
  res.end();
}

/**
 * The mini-program's upload on the local cloud: multipart/form-data with a `cloudPath` field and
 * a `file` part (what wx.uploadFile sends), the uploader from x-openid. Answers `{ fileID }`.
 */
async function multipartUpload(
  storage: LocalStorage,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  openid: string | undefined,
): Promise<void> {
  const reply = (status: number, body: unknown) => send(res, status, body);
  if (!openid) {
    drain(req);
    return reply(401, { code: 'E_UNAUTHENTICATED', message: '缺少 x-openid，无法确定上传者' });
  }
  const contentType = req.headers['content-type'] ?? '';
  if (!/boundary=/i.test(contentType)) {
    drain(req);
    return reply(400, { code: 'INVALID_PARAM', message: 'expected multipart/form-data' });
  }
  // A little room for the form's other fields and part headers.
  const raw = await readRaw(req, MAX_FILE_BYTES + 64 * 1024);
  if (!raw) return reply(413, tooLarge().toJSON());
  const parts = parseMultipart(raw, contentType);
  const cloudPath = parts.find((p) => p.name === 'cloudPath' && p.filename === undefined)?.content.toString('utf8');
  const file = parts.find((p) => p.filename !== undefined) ?? parts.find((p) => p.name === 'file');
  if (!cloudPath || !file) return reply(400, { code: 'INVALID_PARAM', message: 'expected a cloudPath field and a file part' });
  try {
    const meta = await storage.put(cloudPath, file.content, openid);
    return reply(200, { fileID: meta.fileID });
  } catch (err) {
    if (err instanceof StorageError) return reply(err.code === 'EXCEED_UPLOAD_MAXFILESIZE' ? 413 : 400, err.toJSON());
    throw err;
  }
}

function drain(req: http.IncomingMessage): void {
  req.resume();
}

function cosError(res: http.ServerResponse, status: number, code: string, message: string): void {
  const id = crypto.randomBytes(12).toString('hex');
  const xml =
    `<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n  <Code>${code}</Code>\n  <Message>${message}</Message>\n` +
    `  <RequestId>${id}</RequestId>\n  <TraceId>${id}</TraceId>\n</Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
  res.end(xml);
}
