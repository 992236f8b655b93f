// Test helpers for the local cloud: a cloud on a fresh temporary data dir and an ephemeral port,
// and a @cloudbase/node-sdk app pointed at it (the same way the functions' SDK is).
import fs from 'fs';
import os from 'os';
import path from 'path';
import tcb from '@cloudbase/node-sdk';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '../../local/cloud';
import { uploadPrefix, type UploadKind } from '../../cloudfunctions/common/files';

export type TestCloudOptions = Partial<Omit<LocalCloudOptions, 'dataDir'>> & {
  /** Reuse a data dir (it is then kept after close). Default: a fresh temporary one, removed on close. */
  dataDir?: string;
};

/** Starts a local cloud for a test; `close()` also removes the temporary data dir. */
export async function startTestCloud(opts: TestCloudOptions = {}): Promise<LocalCloud> {
  const temporary = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'local-cloud-'));
  const cloud = await startLocalCloud({ port: 0, ...opts, dataDir });
  if (!temporary) return cloud;
  const close = cloud.close;
  return {
    ...cloud,
    close: async () => {
      await close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh temporary directory (for tests that restart a cloud on the same data). */
export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'local-cloud-'));
}

/** A @cloudbase/node-sdk app talking to this local cloud. */
export function sdkFor(cloud: LocalCloud): ReturnType<typeof tcb.init> {
  return tcb.init({ env: 'local', serviceUrl: `${cloud.url}/tcb`, secretId: 'local', secretKey: 'local', timeout: 10000 });
}

/** A fixture picture under tests/fixtures/pictures/. */
export const fixturePicture = (name = 'leak.png'): string => path.join(__dirname, '../fixtures/pictures', name);

/**
 * Stores a picture as `openid`'s upload (what the mini-program's upload does) and answers its file
 * id: `cloud://local.…/uploads/<openid's key>/<kind>/<random>.png`.
 */
export async function uploadAs(
  cloud: LocalCloud,
  openid: string,
  kind: UploadKind = 'order',
  picture = fixturePicture(),
): Promise<string> {
  const name = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}${path.extname(picture)}`;
  const meta = await cloud.storage.put(`${uploadPrefix(openid)}${kind}/${name}`, fs.readFileSync(picture), openid);
  return meta.fileID;
}

/** A fixture recording under tests/fixtures/audio/ (`refused.mp3` carries the stand-in's refused marker). */
export const fixtureAudio = (name = 'voice.mp3'): string => path.join(__dirname, '../fixtures/audio', name);

/** Stores a recording as `openid`'s voice upload (`uploads/<key>/voice/<random>.<ext>`); answers its file id. */
export async function uploadVoiceAs(cloud: LocalCloud, openid: string, file = fixtureAudio(), ext = 'mp3'): Promise<string> {
  const name = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}.${ext}`;
  const meta = await cloud.storage.put(`${uploadPrefix(openid)}voice/${name}`, fs.readFileSync(file), openid);
  return meta.fileID;
}
