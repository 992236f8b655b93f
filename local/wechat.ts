// A stand-in WeChat for the local cloud. It answers the 云调用 that wx-server-sdk sends through
// @cloudbase/node-sdk (`wx.openApi`, see wechat-wire.ts), so the functions run the same open-API
// code here as on CloudBase:
//   - security.msgSecCheck (v2): a word list; a hit answers suggest "risky";
//   - security.imgSecCheck: a picture carrying the marker of the known test picture is refused;
//   - subscribeMessage.send: recorded in `sends` (and on GET /wechat/subscribe-sends);
//   - ApiGetOpenDataByCloudId: the cloudIDs this stand-in issued for test groups.
// Tests can make the next call of an API fail in any way WeChat or CloudBase can (`failNext`).
import { codePng, codeProblem } from './wxacode';
import { randomBytes } from 'crypto';
import {
  API_TYPE,
  decodeCommApiData,
  decodeGetOpenDataReq,
  encodeCommOpenApiResp,
  encodeGetOpenDataResp,
  type CommOpenApiResp,
  type Pair,
} from './wechat-wire';

/** Lower-case; matched as substrings of the text. */
export const BLOCKED_WORDS: readonly string[] = ['赌博', '博彩', '代开发票', '枪支', '毒品', '办证', '裸聊', '违禁词'];

/** Bytes that mark the known test picture (tests/fixtures and local/fixtures carry it). */
export const REFUSED_PICTURE_MARKER = 'LINLIBANG-REFUSED-TEST-PICTURE';

/** How the next call of an API goes wrong. */
export type Fault =
  /** WeChat answers an error code in its JSON (quota, bad openid, risky picture…). */
  | { errcode: number; errmsg?: string }
  /** The 云调用 layer refuses (for example -604101: the function has no permission for the API). */
  | { errorCode: number }
  /** msgSecCheck answers without a clear verdict. */
  | { suggest: string }
  /** CloudBase answers its own error instead of WeChat's reply. */
  | { tcbError: string }
  /** The connection drops. */
  | { network: true };

export interface SubscribeRecord {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogram_state?: string;
  at: string;
}

export type WechatAnswer = { kind: 'reply'; body: Buffer } | { kind: 'json'; body: unknown } | { kind: 'drop' };

export class WechatStandIn {
  /** Subscribe messages WeChat would have delivered, oldest first (the newest 1000). */
  readonly sends: SubscribeRecord[] = [];
  /** How many times each API was called (tests count them). */
  private readonly counts = new Map<string, number>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly groups = new Map<string, string>();

  /** How many times `apiName` has been called. */
  calls(apiName: string): number {
    return this.counts.get(apiName) ?? 0;
  }

  /** The next call of `apiName` (for example `security.msgSecCheck`) fails with `fault`. */
  failNext(apiName: string, fault: Fault): void {
    const list = this.faults.get(apiName) ?? [];
    list.push(fault);
    this.faults.set(apiName, list);
  }

  /** A cloudID for a group chat, as wx.getGroupEnterInfo would hand one to a member of it. */
  issueGroupCloudId(openGId: string): string {
    const cloudId = `local-cloudid-${randomBytes(12).toString('hex')}`;
    this.groups.set(cloudId, openGId);
    return cloudId;
  }

  handle(apiName: string, requestData: Buffer): WechatAnswer {
    this.counts.set(apiName, this.calls(apiName) + 1);
    const fault = this.faults.get(apiName)?.shift();
    if (fault && 'network' in fault) return { kind: 'drop' };
    if (fault && 'tcbError' in fault) return { kind: 'json', body: { code: fault.tcbError, message: 'local stand-in failure' } };
    if (fault && 'errorCode' in fault) return reply({ errorCode: fault.errorCode });

    const data = decodeCommApiData(requestData);
    if (data.apiType === API_TYPE.SVRKIT_API && apiName === 'ApiGetOpenDataByCloudId') {
      if (fault && 'errcode' in fault) return reply({ svrkitErrorCode: fault.errcode });
      return reply({
        svrkitErrorCode: 0,
        respData: this.openData(decodeGetOpenDataReq(data.svrkitData?.reqData ?? Buffer.alloc(0))),
      });
    }
    if (data.apiType !== API_TYPE.OPEN_API) return json({ errcode: 40001, errmsg: `unsupported api ${apiName}` });
    if (fault && 'errcode' in fault) return json({ errcode: fault.errcode, errmsg: fault.errmsg ?? 'local stand-in error' });

    const params = paramsOf(data.openapiData?.pairs ?? []);
    switch (apiName) {
      case 'security.msgSecCheck':
        return json(this.msgSecCheck(params.json, fault && 'suggest' in fault ? fault.suggest : undefined));
      case 'security.imgSecCheck':
        return json(this.imgSecCheck(params.files.media));
      case 'subscribeMessage.send':
        return json(this.subscribeSend(params.json));
      case 'wxacode.getUnlimited': {
        const problem = codeProblem(params.json);
        if (problem) return json({ errcode: 40169, errmsg: problem });
        const png = codePng(String(params.json.scene), String(params.json.page ?? ''));
        return reply({ errorCode: 0, httpCode: 200, contentType: 'image/png', respData: png });
      }
      default:
        return json({ errcode: 40001, errmsg: `the local stand-in does not answer ${apiName}` });
    }
  }

  private msgSecCheck(p: Record<string, unknown>, forcedSuggest: string | undefined): object {
    if (p.version !== 2 || typeof p.content !== 'string' || ![1, 2, 3, 4].includes(p.scene as number))
      return { errcode: 47001, errmsg: 'data format error' };
    if (typeof p.openid !== 'string' || !p.openid) return { errcode: 40003, errmsg: 'invalid openid' };
    const text = p.content.toLowerCase();
    const hit = BLOCKED_WORDS.find((w) => text.includes(w));
    const suggest = forcedSuggest ?? (hit ? 'risky' : 'pass');
    return {
      errcode: 0,
      errmsg: 'ok',
      result: { suggest, label: suggest === 'pass' ? 100 : 20001 },
      detail: [{ strategy: 'keyword', errcode: 0, suggest, label: suggest === 'pass' ? 100 : 20001, keyword: hit ?? '' }],
      trace_id: randomBytes(8).toString('hex'),
    };
  }

  private imgSecCheck(media: Pair | undefined): object {
    if (!media || media.value.length === 0) return { errcode: 41005, errmsg: 'media data missing' };
    if (media.value.length > 1024 * 1024) return { errcode: 40006, errmsg: 'invalid media size' };
    if (media.value.includes(REFUSED_PICTURE_MARKER)) return { errcode: 87014, errmsg: 'risky content' };
    return { errcode: 0, errmsg: 'ok' };
  }

  private subscribeSend(p: Record<string, unknown>): object {
    if (typeof p.touser !== 'string' || typeof p.template_id !== 'string' || !p.data || typeof p.data !== 'object')
      return { errcode: 47003, errmsg: 'argument invalid' };
    this.sends.push({
      touser: p.touser,
      template_id: p.template_id,
      page: typeof p.page === 'string' ? p.page : undefined,
      data: p.data as SubscribeRecord['data'],
      miniprogram_state: typeof p.miniprogram_state === 'string' ? p.miniprogram_state : undefined,
      at: new Date().toISOString(),
    });
    if (this.sends.length > 1000) this.sends.shift();
    return { errcode: 0, errmsg: 'ok', msgid: Date.now() };
  }

  private openData(cloudIds: string[]): Buffer {
    return encodeGetOpenDataResp(
      cloudIds.map((cloudId) => {
        const openGId = this.groups.get(cloudId);
        // An unknown or foreign cloudID has no open data: WeChat answers an empty item.
        return {
          cloudId,
          json: openGId
            ? JSON.stringify({ cloudID: cloudId, data: { openGId, watermark: { timestamp: Math.floor(Date.now() / 1000) } } })
            : '',
        };
      }),
    );
  }
}

/** wx-server-sdk sends each parameter as a JSON value, and a media parameter as a file. */
function paramsOf(pairs: Pair[]): { json: Record<string, unknown>; files: Record<string, Pair> } {
  const json: Record<string, unknown> = {};
  const files: Record<string, Pair> = {};
  for (const pair of pairs) {
    // wx-server-sdk 4.0.2 sets `contentType` where the message's field is `contenttype`, so a
    // media parameter arrives with its file name only.
    if (pair.filename) files[pair.key] = pair;
    else {
      try {
        json[pair.key] = JSON.parse(Buffer.from(pair.value).toString('utf8'));
      } catch {
        json[pair.key] = undefined;
      }
    }
  }
  return { json, files };
}

const reply = (resp: CommOpenApiResp): WechatAnswer => ({
  kind: 'reply',
  body: encodeCommOpenApiResp({ httpCode: 200, ...resp }),
});

const json = (body: object): WechatAnswer =>
  reply({
    errorCode: 0,
    httpCode: 200,
    contentType: 'application/json; charset=utf-8',
    respData: Buffer.from(JSON.stringify(body)),
  });
