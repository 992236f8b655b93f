// The one client of WeChat's open APIs. It uses 云调用 through wx-server-sdk, the route WeChat
// documents for cloud functions (no access_token; each function declares the APIs it calls in
// config.json `permissions.openapi`). wx-server-sdk sends them through @cloudbase/node-sdk's
// `wx.openApi` action; on a laptop that reaches the local cloud's stand-in WeChat, on CloudBase the
// platform: the same code either way. Every reply shape the SDK can hand over is decoded here and
// nowhere else: a resolved object for errcode 0, a thrown `{ errCode, errMsg }` for anything else.
import cloud from 'wx-server-sdk';

let initialisedFor: string | undefined | null = null;

/** wx-server-sdk keeps one global instance; (re)initialised when the service URL changes (tests). */
function sdk(): typeof cloud {
  const url = process.env.TCB_SERVICE_URL;
  if (initialisedFor !== url) {
    const config = { env: cloud.DYNAMIC_CURRENT_ENV, serviceUrl: url };
    cloud.init(config as unknown as Parameters<typeof cloud.init>[0]);
    initialisedFor = url;
  }
  return cloud;
}

/** What a failed call threw: WeChat's errcode, the 云调用 layer's code, or a transport failure. */
export interface OpenApiFailure {
  errCode?: number;
  errMsg?: string;
}

const failureOf = (err: unknown): OpenApiFailure => {
  const e = (err ?? {}) as { errCode?: unknown; errMsg?: unknown; message?: unknown };
  return {
    errCode: typeof e.errCode === 'number' ? e.errCode : undefined,
    errMsg: String(e.errMsg ?? e.message ?? 'unknown failure').slice(0, 200),
  };
};

/** msgSecCheck scenes: 1 资料, 2 评论, 3 论坛, 4 社交日志. */
export type TextScene = 1 | 2 | 3 | 4;

/** `pass` and `reject` are WeChat's clear answers; anything else is `unsure` (callers refuse). */
export type Verdict = { verdict: 'pass' | 'reject' } | { verdict: 'unsure'; failure: OpenApiFailure };

const RISKY = 87014;

/** Text check, msgSecCheck v2: needs the openid of someone who opened the mini-program in the last 2 h. */
export async function checkText(content: string, openid: string, scene: TextScene): Promise<Verdict> {
  try {
    const res = (await sdk().openapi.security.msgSecCheck({ content, version: 2, scene, openid })) as {
      result?: { suggest?: unknown };
    };
    const suggest = res?.result?.suggest;
    if (suggest === 'pass') return { verdict: 'pass' };
    if (suggest === 'risky' || suggest === 'review') return { verdict: 'reject' };
    return { verdict: 'unsure', failure: { errMsg: `no verdict (${String(suggest)})` } };
  } catch (err) {
    const failure = failureOf(err);
    return failure.errCode === RISKY ? { verdict: 'reject' } : { verdict: 'unsure', failure };
  }
}

/** Picture check, imgSecCheck: the bytes themselves (at most 1 MB), answered at once. */
export async function checkImage(bytes: Buffer, contentType: string): Promise<Verdict> {
  try {
    await sdk().openapi.security.imgSecCheck({ media: { contentType, value: bytes } });
    return { verdict: 'pass' };
  } catch (err) {
    const failure = failureOf(err);
    return failure.errCode === RISKY ? { verdict: 'reject' } : { verdict: 'unsure', failure };
  }
}

export interface SubscribeMessage {
  touser: string;
  templateId: string;
  /** Mini-program page the message opens, without a leading slash. */
  page: string;
  data: Record<string, { value: string }>;
  state: 'developer' | 'trial' | 'formal';
}

/** subscribeMessage.send: answers WeChat's errcode (0 when sent) and its message. */
export async function sendSubscribe(msg: SubscribeMessage): Promise<OpenApiFailure & { errCode: number }> {
  try {
    await sdk().openapi.subscribeMessage.send({
      touser: msg.touser,
      templateId: msg.templateId,
      page: msg.page,
      data: msg.data,
      miniprogramState: msg.state,
      lang: 'zh_CN',
    });
    return { errCode: 0 };
  } catch (err) {
    const failure = failureOf(err);
    return { errCode: failure.errCode ?? -1, errMsg: failure.errMsg };
  }
}

/** The group behind a share ticket's cloudID (wx.getGroupEnterInfo), or null when WeChat gives none. */
export async function groupIdOf(cloudId: string): Promise<string | null> {
  try {
    const res = (await sdk().getOpenData({ list: [cloudId] })) as unknown as { list?: { data?: Record<string, unknown> }[] };
    const data = res?.list?.[0]?.data;
    const id = data?.openGId ?? data?.opengid;
    return typeof id === 'string' && id ? id : null;
  } catch (err) {
    console.error('[wxopen] group id not resolved:', failureOf(err).errCode ?? 'transport');
    return null;
  }
}

/**
 * A mini-program code (wxacode.getUnlimited) opening `page` with `scene` (≤ 32 characters), as PNG
 * bytes; null when WeChat gives none (the caller offers to try again).
 */
export async function miniProgramCode(scene: string, page: string): Promise<Buffer | null> {
  try {
    const res = (await sdk().openapi.wxacode.getUnlimited({
      scene,
      page,
      checkPath: false,
      envVersion: 'release',
      width: 280,
    } as unknown as Parameters<typeof cloud.openapi.wxacode.getUnlimited>[0])) as { buffer?: unknown };
    return Buffer.isBuffer(res?.buffer) ? res.buffer : null;
  } catch (err) {
    console.error('[wxopen] no mini-program code:', failureOf(err).errCode ?? 'transport');
    return null;
  }
}
