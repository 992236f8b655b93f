// The wire format of WeChat's 云调用 as wx-server-sdk sends it through @cloudbase/node-sdk's
// `callCompatibleWxOpenApi`: a multipart/form-data POST (action `wx.openApi`, `apiName`, and a
// protobuf `requestData`), answered with a protobuf `CommOpenApiResp` as the raw body.
// Field numbers are those of the encoders generated into wx-server-sdk 4.0.2 (index.js,
// "src/protobuf/openapi.js"): read from there, not guessed.
import { Root } from 'protobufjs';

const root = Root.fromJSON({
  nested: {
    KeyValuePair: {
      fields: {
        key: { type: 'string', id: 1 },
        value: { type: 'bytes', id: 2 },
        contenttype: { type: 'string', id: 3 },
        filename: { type: 'string', id: 4 },
      },
    },
    OpenApiData: { fields: { pairs: { rule: 'repeated', type: 'KeyValuePair', id: 1 } } },
    SvrkitApiData: { fields: { apiName: { type: 'string', id: 1 }, reqData: { type: 'bytes', id: 2 } } },
    CommApiData: {
      fields: {
        apiType: { type: 'int32', id: 1 },
        openapiData: { type: 'OpenApiData', id: 2 },
        svrkitData: { type: 'SvrkitApiData', id: 4 },
        appid: { type: 'string', id: 6 },
      },
    },
    HttpHeader: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
    CommOpenApiResp: {
      fields: {
        respData: { type: 'bytes', id: 1 },
        contentType: { type: 'string', id: 2 },
        errorCode: { type: 'int32', id: 3 },
        httpCode: { type: 'uint32', id: 4 },
        headers: { rule: 'repeated', type: 'HttpHeader', id: 5 },
        svrkitErrorCode: { type: 'int32', id: 6 },
      },
    },
    ApiGetOpenDataByCloudIdReq: {
      fields: { cloudidList: { rule: 'repeated', type: 'string', id: 2 }, appid: { type: 'string', id: 3 } },
    },
    OpDataItem: { fields: { cloudId: { type: 'string', id: 1 }, json: { type: 'string', id: 2 } } },
    ApiGetOpenDataByCloudIdResp: { fields: { dataList: { rule: 'repeated', type: 'OpDataItem', id: 1 } } },
  },
});

/** CommApiData.ApiType */
export const API_TYPE = { OPEN_API: 0, SVRKIT_API: 2 } as const;

export interface Pair {
  key: string;
  value: Buffer;
  contenttype?: string;
  filename?: string;
}

export interface CommApiData {
  apiType: number;
  openapiData?: { pairs: Pair[] };
  svrkitData?: { apiName: string; reqData: Buffer };
}

export interface CommOpenApiResp {
  respData?: Buffer;
  contentType?: string;
  errorCode?: number;
  httpCode?: number;
  svrkitErrorCode?: number;
}

const type = (name: string) => root.lookupType(name);

export function decodeCommApiData(buf: Buffer): CommApiData {
  const msg = type('CommApiData').decode(buf);
  return type('CommApiData').toObject(msg, { defaults: true, arrays: true }) as CommApiData;
}

export function encodeCommOpenApiResp(resp: CommOpenApiResp): Buffer {
  const t = type('CommOpenApiResp');
  return Buffer.from(t.encode(t.fromObject(resp)).finish());
}

export function decodeGetOpenDataReq(buf: Buffer): string[] {
  const t = type('ApiGetOpenDataByCloudIdReq');
  return (t.toObject(t.decode(buf), { arrays: true }) as { cloudidList: string[] }).cloudidList;
}

export function encodeGetOpenDataResp(items: { cloudId: string; json: string }[]): Buffer {
  const t = type('ApiGetOpenDataByCloudIdResp');
  return Buffer.from(t.encode(t.fromObject({ dataList: items })).finish());
}
