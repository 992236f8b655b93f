// Voice orders (docs/orders.md, "Voice orders"): who hears an order's voice message and when, the
// playable address added to an answer, and the verdict of WeChat's asynchronous audio check
// (mediaCheckAsync), which WeChat pushes to this function as a `wxa_media_check` event (消息推送,
// docs/deploy.md). The push carries no identity to trust: it is matched only by the trace id
// WeChat answered when the check started, which never leaves the server.
import { auditSystem } from '../common/audit';
import { cmd, collection, getAll } from '../common/db';
import type { Result } from '../common/envelope';
import { notify } from '../common/notify';
import type { ActionDef } from '../common/router';
import { tempUrlOf } from '../common/voice';
import type { VoiceView } from './api';
import { orderLink } from './lifecycle';
import { ORDERS, type OrderDoc, type VoiceCheck } from './model';
import type { Viewer } from './rules';
import { workersOf } from './store';

export const VOICE_CHECK_LABELS: Record<VoiceCheck, string> = {
  checking: '语音内容检查中',
  pass: '',
  rejected: '语音未通过内容安全检查，已不能播放',
};

/** How long a playable address lives (seconds): a page open for an afternoon still plays. */
const PLAY_URL_SECONDS = 2 * 60 * 60;

/** The file behind each view that may be played, kept off the answer (a file id is not shown). */
const playable = new WeakMap<VoiceView, string>();

/**
 * Who hears it: anyone who may see the order once the check passed; while it runs, the people the
 * order belongs to and the community's workers (staff answer for what they hear; an elder's
 * request should not wait for WeChat); after a refusal, nobody.
 */
function mayHear(order: OrderDoc, viewer: Viewer): boolean {
  const check = order.voice?.check;
  if (check === 'pass') return true;
  if (check === 'checking') return viewer.isWorker || order.parties.includes(viewer.openid);
  return false;
}

export function voiceView(order: OrderDoc, viewer: Viewer): VoiceView | undefined {
  const v = order.voice;
  if (!v) return undefined;
  const view: VoiceView = {
    seconds: v.seconds,
    transcript: v.transcript,
    check: v.check,
    checkLabel: VOICE_CHECK_LABELS[v.check],
  };
  if (mayHear(order, viewer)) playable.set(view, v.fileId);
  return view;
}

async function addUrl(view: VoiceView | undefined): Promise<void> {
  const fileId = view && playable.get(view);
  if (!view || !fileId) return;
  view.url = await tempUrlOf(fileId, PLAY_URL_SECONDS);
}

/** Adds the playable address to every answer of the table that carries an order's voice. */
export function withVoiceUrls<T extends Record<string, ActionDef>>(table: T): T {
  const out: Record<string, ActionDef> = {};
  for (const [name, def] of Object.entries(table)) {
    out[name] = {
      ...def,
      handler: async (input, ctx) => {
        const answer = (await def.handler(input, ctx)) as { voice?: VoiceView; order?: { voice?: VoiceView } } | null;
        if (answer && typeof answer === 'object') {
          await addUrl(answer.voice);
          await addUrl(answer.order?.voice);
        }
        return answer;
      },
    };
  }
  return out as T;
}

// ---------------------------------------------------------------------------------------------
// The verdict WeChat pushes.

export interface MediaCheckPush {
  MsgType: 'event';
  Event: 'wxa_media_check';
  trace_id: string;
  errcode?: number;
  result?: { suggest?: string; label?: number };
}

export function isMediaCheckPush(event: unknown): event is MediaCheckPush {
  const e = event as Partial<MediaCheckPush> | null;
  return Boolean(e && typeof e === 'object' && e.MsgType === 'event' && e.Event === 'wxa_media_check');
}

const TRACE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** `pass` only for WeChat's clear pass; anything else (risky, review, an errcode) refuses. */
export function verdictOf(push: MediaCheckPush): 'pass' | 'rejected' {
  return push.errcode === undefined || push.errcode === 0 ? (push.result?.suggest === 'pass' ? 'pass' : 'rejected') : 'rejected';
}

/**
 * Records a verdict on the order whose check it answers, once: the update is conditional on the
 * trace id, which it clears. A refusal tells the one who ordered and the workers.
 */
export async function takeMediaCheckPush(push: MediaCheckPush, now: Date): Promise<Result<{ matched: boolean }>> {
  if (typeof push.trace_id !== 'string' || !TRACE_ID.test(push.trace_id)) return { ok: true, data: { matched: false } };
  const [order] = await getAll<OrderDoc>(collection(ORDERS).where({ voiceTraceId: push.trace_id }).limit(1));
  if (!order || !order.voice) return { ok: true, data: { matched: false } };
  const check = verdictOf(push);
  const res = await collection(ORDERS)
    .where({ _id: order._id, voiceTraceId: push.trace_id })
    .update({ voice: cmd().set({ ...order.voice, check, checkedAt: now }), voiceTraceId: null, updatedAt: now });
  if (res.updated !== 1) return { ok: true, data: { matched: false } };
  await auditSystem('push.voiceCheck', now, [
    {
      communityId: order.communityId,
      target: `order:${order._id}`,
      before: { voiceCheck: 'checking' },
      after: { voiceCheck: check },
    },
  ]);
  if (check === 'rejected') {
    await notify(
      order.communityId,
      [order.orderedBy, ...(await workersOf(order.communityId))],
      {
        type: 'order.voice_rejected',
        title: `语音未通过内容检查：${order.serviceName}`,
        body: '这笔订单的语音不能播放，请电话联系下单人了解需求',
        link: orderLink(order._id),
        key: `voice:${order._id}`,
      },
      now,
    );
  }
  return { ok: true, data: { matched: true } };
}

/** The function's entry: a media-check push goes to takeMediaCheckPush, everything else to the router. */
export function withMediaCheckPush(
  main: (event: unknown, context: unknown) => Promise<Result<unknown>>,
): (event: unknown, context: unknown) => Promise<Result<unknown>> {
  return async (event, context) => {
    if (!isMediaCheckPush(event)) return main(event, context);
    try {
      return await takeMediaCheckPush(event, new Date());
    } catch (err) {
      console.error('[orders] media check push failed:', err instanceof Error ? err.message : String(err));
      return { ok: false, error: { code: 'E_INTERNAL', message: '语音检查结果没有记下，请稍后再试' } };
    }
  };
}
