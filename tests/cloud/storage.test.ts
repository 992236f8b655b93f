// Cloud storage on the local cloud through the real @cloudbase/node-sdk: uploadFile (the
// getUploadMetadata action, then the PUT the SDK sends), getTempFileURL, downloadFile (the action,
// then the GET of the temp URL), deleteFile; files outlive a restart; the size limit; and the
// mini-program's multipart upload (POST /storage/upload with x-openid).
import fs from 'fs';
import http from 'http';
import path from 'path';
import type { LocalCloud } from '../../local/cloud';
import { FILE_ID_PREFIX, MAX_FILE_BYTES } from '../../local/storage';
import { sdkFor, startTestCloud, tempDataDir } from '../helpers/local';

const PICTURE = fs.readFileSync(path.join(__dirname, '../fixtures/pictures/leak.png'));

let dataDir: string;
let cloud: LocalCloud;
let app: ReturnType<typeof sdkFor>;

beforeAll(async () => {
  dataDir = tempDataDir();
  cloud = await startTestCloud({ dataDir });
  app = sdkFor(cloud);
});
afterAll(async () => {
  await cloud.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function get(url: string, method = 'GET'): Promise<{ status: number; type: string; length: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .request(url, { method }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            length: String(res.headers['content-length'] ?? ''),
            body: Buffer.concat(chunks),
          }),
        );
      })
      .on('error', reject)
      .end();
  });
}

/** What /storage/upload answers: the file id, or an error's code and message. */
interface UploadAnswer {
  fileID?: string;
  code?: string;
  message?: string;
}

function multipart(fields: Record<string, string>, file: { name: string; content: Buffer } | undefined, openid?: string) {
  const boundary = '----local-test-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const body = Buffer.concat(parts);
  return new Promise<{ status: number; json: UploadAnswer }>((resolve, reject) => {
    const req = http.request(
      `${cloud.url}/storage/upload`,
      {
        method: 'POST',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': body.length,
          ...(openid ? { 'x-openid': openid } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(Buffer.concat(chunks).toString()) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

test('uploadFile, getTempFileURL, downloadFile and deleteFile round-trip the bytes', async () => {
  const up = await app.uploadFile({ cloudPath: 'tests/round/trip.png', fileContent: PICTURE });
  expect(up.fileID).toBe(`${FILE_ID_PREFIX}tests/round/trip.png`);
  expect(up.fileID).toMatch(/^cloud:\/\/local\.6c6f-local-1250000000\/tests\/round\/trip\.png$/);

  const urls = await app.getTempFileURL({
    fileList: [up.fileID, `${FILE_ID_PREFIX}tests/missing.png`, 'cloud://other.bucket/x.png'],
  });
  expect(urls.fileList.map((f) => f.code)).toEqual(['SUCCESS', 'STORAGE_FILE_NONEXIST', 'STORAGE_EXCEED_AUTHORITY']);
  expect(urls.fileList[0].fileID).toBe(up.fileID);
  expect(urls.fileList[0].tempFileURL.startsWith(`${cloud.url}/storage/tests/round/trip.png?`)).toBe(true);

  const served = await get(urls.fileList[0].tempFileURL);
  expect(served.status).toBe(200);
  expect(served.type).toBe('image/png');
  expect(served.body.equals(PICTURE)).toBe(true);
  const head = await get(urls.fileList[0].tempFileURL, 'HEAD');
  expect(head.length).toBe(String(PICTURE.length));

  const down = await app.downloadFile({ fileID: up.fileID });
  expect(Buffer.isBuffer(down.fileContent)).toBe(true);
  expect((down.fileContent as Buffer).equals(PICTURE)).toBe(true);

  // getFileInfo: the temp URL's HEAD gives size and type.
  const info = await app.getFileInfo({ fileList: [up.fileID] });
  expect(info.fileList[0]).toMatchObject({ code: 'SUCCESS', size: PICTURE.length, mime: 'image/png' });

  const del = await app.deleteFile({ fileList: [up.fileID, up.fileID] });
  expect(del.fileList).toEqual([
    { fileID: up.fileID, code: 'SUCCESS' },
    { fileID: up.fileID, code: 'STORAGE_FILE_NONEXIST' },
  ]);
  expect((await get(urls.fileList[0].tempFileURL)).status).toBe(404);
  await expect(app.downloadFile({ fileID: up.fileID })).rejects.toMatchObject({ code: 'STORAGE_FILE_NONEXIST' });
});

test('an upload to the same path replaces the file; names keep Chinese characters', async () => {
  await app.uploadFile({ cloudPath: 'tests/告示/图片.txt', fileContent: Buffer.from('第一版') });
  const up = await app.uploadFile({ cloudPath: 'tests/告示/图片.txt', fileContent: Buffer.from('第二版') });
  const down = await app.downloadFile({ fileID: up.fileID });
  expect((down.fileContent as Buffer).toString('utf8')).toBe('第二版');
  const [url] = (await app.getTempFileURL({ fileList: [up.fileID] })).fileList;
  const served = await get(encodeURI(url.tempFileURL));
  expect(served.type).toBe('text/plain; charset=utf-8');
});

test('bad cloud paths are refused with INVALID_PARAM', async () => {
  for (const cloudPath of ['../escape.png', '/abs.png', 'a//b.png', 'a/./b.png', 'q?.png', '']) {
    await expect(app.uploadFile({ cloudPath, fileContent: PICTURE })).rejects.toMatchObject({ code: 'INVALID_PARAM' });
  }
});

test(`a file over ${MAX_FILE_BYTES / 1024 / 1024} MB is refused with a clear error and not stored`, async () => {
  const big = Buffer.alloc(MAX_FILE_BYTES + 1, 7);
  await expect(app.uploadFile({ cloudPath: 'tests/big.bin', fileContent: big })).rejects.toMatchObject({
    code: 'STORAGE_REQUEST_FAIL',
    message: expect.stringContaining('EntityTooLarge'),
  });
  const res = await app.getTempFileURL({ fileList: [`${FILE_ID_PREFIX}tests/big.bin`] });
  expect(res.fileList[0].code).toBe('STORAGE_FILE_NONEXIST');
  // Exactly the limit is fine.
  const edge = await app.uploadFile({ cloudPath: 'tests/edge.bin', fileContent: Buffer.alloc(MAX_FILE_BYTES, 1) });
  expect((await app.getTempFileURL({ fileList: [edge.fileID] })).fileList[0].code).toBe('SUCCESS');
});

test('the upload URL only takes what getUploadMetadata signed', async () => {
  const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      `${cloud.url}/storage/tests/forged.png`,
      { method: 'PUT', headers: { authorization: 'local nope' } },
      (r) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => resolve({ status: r.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(PICTURE);
  });
  expect(res.status).toBe(403);
  expect(res.body).toContain('<Code>SignatureDoesNotMatch</Code>');
  expect((await app.getTempFileURL({ fileList: [`${FILE_ID_PREFIX}tests/forged.png`] })).fileList[0].code).toBe(
    'STORAGE_FILE_NONEXIST',
  );
});

test("the mini-program's upload (multipart, x-openid) records the uploader", async () => {
  const res = await multipart({ cloudPath: 'uploads/abc/order/p1.png' }, { name: 'p1.png', content: PICTURE }, 'demo-resident-1');
  expect(res).toEqual({ status: 200, json: { fileID: `${FILE_ID_PREFIX}uploads/abc/order/p1.png` } });
  const meta = await cloud.storage.stat('uploads/abc/order/p1.png');
  expect(meta).toMatchObject({ uploader: 'demo-resident-1', size: PICTURE.length, contentType: 'image/png' });
  const down = await app.downloadFile({ fileID: res.json.fileID! });
  expect((down.fileContent as Buffer).equals(PICTURE)).toBe(true);

  expect((await multipart({ cloudPath: 'uploads/abc/order/p2.png' }, { name: 'p2.png', content: PICTURE })).status).toBe(401);
  expect((await multipart({}, { name: 'p3.png', content: PICTURE }, 'demo-resident-1')).status).toBe(400);
  const big = await multipart(
    { cloudPath: 'uploads/abc/order/big.png' },
    { name: 'big.png', content: Buffer.alloc(MAX_FILE_BYTES + 1) },
    'demo-resident-1',
  );
  expect(big.status).toBe(413);
  expect(big.json.message).toContain('10 MB');
});

test('files and their records survive a restart', async () => {
  const up = await app.uploadFile({ cloudPath: 'tests/keep/me.png', fileContent: PICTURE });
  await cloud.close();
  cloud = await startTestCloud({ dataDir });
  app = sdkFor(cloud);
  const down = await app.downloadFile({ fileID: up.fileID });
  expect((down.fileContent as Buffer).equals(PICTURE)).toBe(true);
  expect(await cloud.storage.stat('uploads/abc/order/p1.png')).toMatchObject({ uploader: 'demo-resident-1' });
});
