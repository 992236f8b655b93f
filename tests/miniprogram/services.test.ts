// The typed service core: envelope handling, error mapping, and the local-cloud switch.
import { appConfig } from '../../miniprogram/config';
import { ServiceError, call, isServiceError } from '../../miniprogram/services/core';
import { memberService } from '../../miniprogram/services/member';
import type { MemberApi } from '../../cloudfunctions/member/api';
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { fixturePicture, startTestCloud } from '../helpers/local';
import { pictureSrc, resetUploadPrefix, uploadPicture } from '../../miniprogram/services/files';
import { parkingService } from '../../miniprogram/services/parking';
import { uploadPrefix } from '../../cloudfunctions/common/files';
import { FIXTURE_PICTURE, closeCloud, wireCloud, wireHttpRequest, wireHttpUpload } from '../helpers/miniprogram';
import fs from 'fs';
import http from 'http';

/** The two wx APIs these tests replace. */
type Wx = { request: jest.Mock; getAccountInfoSync: jest.Mock | (() => unknown) };
const wxm = () => (globalThis as unknown as { wx: Wx }).wx;

afterEach(() => {
  delete appConfig.localCloud;
});

describe('call()', () => {
  test('answers the data of an ok envelope, sending { action, payload } to the named function', async () => {
    const invoke = jest.fn(async () => ({
      ok: true,
      data: { communityName: '幸福里社区', buildings: ['1栋'], autoApprove: false },
    }));
    const { calls } = wireCloud({ invoke }, 'someone');
    const info = await memberService.inviteInfo('ABCDEF12');
    expect(info.communityName).toBe('幸福里社区');
    expect(invoke).toHaveBeenCalledWith('member', { action: 'inviteInfo', payload: { inviteCode: 'ABCDEF12' } }, 'someone');
    expect(calls.map((c) => c.action)).toEqual(['inviteInfo']);
  });

  test('throws a ServiceError with the code and Chinese message of an error envelope', async () => {
    wireCloud({ invoke: async () => ({ ok: false, error: { code: 'E_FORBIDDEN', message: '您没有权限进行此操作' } }) });
    const err = await memberService.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect(isServiceError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'E_FORBIDDEN', message: '您没有权限进行此操作' });
  });

  test('an error envelope without a message gets the default message of its code', async () => {
    wireCloud({ invoke: async () => ({ ok: false, error: { code: 'E_NOT_MEMBER', message: '' } }) });
    await expect(memberService.me()).rejects.toMatchObject({ code: 'E_NOT_MEMBER', message: expect.stringContaining('社区') });
  });

  test('a transport failure becomes E_NETWORK, an unexpected answer E_INTERNAL', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    wireCloud({
      invoke: async () => {
        throw new Error('socket hang up');
      },
    });
    await expect(memberService.me()).rejects.toMatchObject({ code: 'E_NETWORK', message: expect.stringContaining('网络') });
    wireCloud({ invoke: async () => 'not an envelope' });
    await expect(call<MemberApi, 'me'>('member', 'me', {})).rejects.toMatchObject({ code: 'E_INTERNAL' });
    warn.mockRestore();
  });
});

describe('local cloud switch', () => {
  test('off by default: calls go through wx.cloud', async () => {
    const invoke = jest.fn(async () => ({ ok: true, data: null }));
    wireCloud({ invoke });
    wxm().request = jest.fn();
    expect(appConfig.localCloud).toBeUndefined();
    await memberService.me();
    expect(invoke).toHaveBeenCalledTimes(1);
    expect(wxm().request).not.toHaveBeenCalled();
  });

  test('when configured, POSTs <url>/functions/<name> with x-openid over wx.request', async () => {
    const invoke = jest.fn();
    wireCloud({ invoke });
    appConfig.localCloud = { url: 'http://192.168.1.20:3000/', openid: 'demo-resident-2' };
    wxm().request = jest.fn((options: WechatMiniprogram.RequestOption) => {
      options.success?.({ statusCode: 200, data: { ok: true, data: { page: 1, items: [], hasMore: false } } } as never);
    });
    const res = await memberService.list({ status: 'pending' });
    expect(res).toEqual({ page: 1, items: [], hasMore: false });
    expect(invoke).not.toHaveBeenCalled();
    const options = wxm().request.mock.calls[0][0];
    expect(options).toMatchObject({
      url: 'http://192.168.1.20:3000/functions/member',
      method: 'POST',
      header: { 'x-openid': 'demo-resident-2' },
      data: { action: 'list', payload: { status: 'pending' } },
    });
  });

  test('ignored outside the developer version', async () => {
    const invoke = jest.fn(async () => ({ ok: true, data: null }));
    wireCloud({ invoke });
    appConfig.localCloud = { url: 'http://127.0.0.1:3000', openid: 'demo-worker' };
    wxm().request = jest.fn();
    const original = wxm().getAccountInfoSync;
    wxm().getAccountInfoSync = jest.fn(() => ({ miniProgram: { appId: 'wx1', envVersion: 'release', version: '1.0.0' } }));
    try {
      await memberService.me();
    } finally {
      wxm().getAccountInfoSync = original;
    }
    expect(wxm().request).not.toHaveBeenCalled();
    expect(invoke).toHaveBeenCalledTimes(1);
  });

  test('an HTTP failure of the local cloud is E_NETWORK', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    appConfig.localCloud = { url: 'http://127.0.0.1:3000', openid: 'demo-worker' };
    wxm().request = jest.fn((options: WechatMiniprogram.RequestOption) => {
      options.fail?.({ errMsg: 'request:fail timeout' } as never);
    });
    await expect(memberService.me()).rejects.toMatchObject({ code: 'E_NETWORK' });
    warn.mockRestore();
  });
});

describe('local cloud switch against the real gateway', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud();
    await seedIfEmpty(cloud);
  });
  afterAll(() => closeCloud(cloud));

  test('POST /functions/member with x-openid answers as that caller', async () => {
    const invoke = jest.fn();
    wireCloud({ invoke });
    const request = wireHttpRequest();
    appConfig.localCloud = { url: cloud.url, openid: 'demo-volunteer-1' };

    const me = await memberService.me();
    expect(me).toMatchObject({ name: '张建国', communityName: '幸福里社区', roles: ['resident', 'volunteer'] });
    expect(request).toHaveBeenCalledTimes(1);
    expect(invoke).not.toHaveBeenCalled();

    // A resident asking for the worker's list gets the function's own refusal, not a transport error.
    await expect(memberService.list({ status: 'pending' })).rejects.toMatchObject({ code: 'E_FORBIDDEN' });

    appConfig.localCloud = { url: cloud.url, openid: 'demo-worker' };
    const page = await memberService.list({ status: 'active' });
    expect(page.items.length).toBeGreaterThan(0);
  });

  test("pictures: a multipart upload to /storage/upload into the caller's folder; shown from the local cloud; attachable", async () => {
    wireCloud({ invoke: jest.fn() });
    wireHttpRequest();
    const upload = wireHttpUpload();
    resetUploadPrefix();
    appConfig.localCloud = { url: cloud.url, openid: 'demo-resident-2' };

    const fileId = await uploadPicture(FIXTURE_PICTURE, 'spot');
    expect(upload).toHaveBeenCalledTimes(1);
    expect(upload.mock.calls[0][0].header).toEqual({ 'x-openid': 'demo-resident-2' });
    expect(fileId.startsWith(`cloud://local.6c6f-local-1250000000/${uploadPrefix('demo-resident-2')}spot/`)).toBe(true);
    const cloudPath = fileId.slice('cloud://local.6c6f-local-1250000000/'.length);
    expect(await cloud.storage.stat(cloudPath)).toMatchObject({ uploader: 'demo-resident-2', contentType: 'image/png' });

    // What an <image> is given on the local cloud serves the bytes.
    const src = pictureSrc(fileId);
    expect(src).toBe(`${cloud.url}/storage/${cloudPath}`);
    const bytes = await new Promise<Buffer>((resolve, reject) =>
      http
        .get(src, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve(Buffer.concat(chunks)));
        })
        .on('error', reject),
    );
    expect(bytes.equals(fs.readFileSync(FIXTURE_PICTURE))).toBe(true);

    const spot = await parkingService.registerSpot({ code: 'B2-777', location: '地下一层', photo: fileId });
    expect(spot.photo).toBe(fileId);
    // Someone else cannot attach it.
    appConfig.localCloud = { url: cloud.url, openid: 'demo-resident-3' };
    await expect(parkingService.registerSpot({ code: 'B3-777', location: '地下一层', photo: fileId })).rejects.toMatchObject({
      code: 'E_FORBIDDEN',
      message: '只能添加自己上传的图片，请重新选择图片',
    });
    // Without the switch, ids display as they are (WeChat shows cloud:// itself).
    delete appConfig.localCloud;
    expect(pictureSrc(fileId)).toBe(fileId);
  });

  test('a photo over the picture check’s 1 MB is compressed on the phone before it is uploaded', async () => {
    wireCloud({ invoke: jest.fn() });
    wireHttpRequest();
    const upload = wireHttpUpload();
    resetUploadPrefix();
    appConfig.localCloud = { url: cloud.url, openid: 'demo-resident-2' };
    const compressed = fixturePicture('done.png');
    const sizes: Record<string, number> = { [FIXTURE_PICTURE]: 3 * 1024 * 1024, [compressed]: 300 * 1024 };
    const w = globalThis as unknown as { wx: Record<string, unknown> };
    const saved = { fs: w.wx.getFileSystemManager, compress: w.wx.compressImage };
    const compressImage = jest.fn((o: { success: (r: { tempFilePath: string }) => void }) =>
      o.success({ tempFilePath: compressed }),
    );
    w.wx.getFileSystemManager = () => ({
      getFileInfo: (o: { filePath: string; success: (r: { size: number }) => void }) => o.success({ size: sizes[o.filePath] }),
    });
    w.wx.compressImage = compressImage;
    try {
      await uploadPicture(FIXTURE_PICTURE, 'order');
      expect(compressImage).toHaveBeenCalledWith(expect.objectContaining({ src: FIXTURE_PICTURE, quality: 70 }));
      expect(upload.mock.calls[0][0].filePath).toBe(compressed);
    } finally {
      w.wx.getFileSystemManager = saved.fs;
      w.wx.compressImage = saved.compress;
    }
  });

  test('an unreachable local cloud is E_NETWORK', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    wireHttpRequest();
    appConfig.localCloud = { url: 'http://127.0.0.1:1', openid: 'demo-worker' };
    await expect(memberService.me()).rejects.toMatchObject({ code: 'E_NETWORK' });
    warn.mockRestore();
  });
});
