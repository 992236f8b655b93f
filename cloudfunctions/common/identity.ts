// Who is calling: only ever the OPENID the platform put in the invocation context.
import tcb from '@cloudbase/node-sdk';

export function openidFromContext(context: unknown): string | undefined {
  if (!context || typeof context !== 'object') return undefined;
  try {
    const openid = tcb.getCloudbaseContext(context as Parameters<typeof tcb.getCloudbaseContext>[0]).WX_OPENID;
    return typeof openid === 'string' && openid.length > 0 ? openid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What started this invocation, as the platform put it in the context (`TRIGGER_SRC`): `timer`
 * for a timer trigger, `tcb` for a call (mini-program, SDK, another function). node-sdk reads the
 * same variable to pick the timer's API token (src/utils/wxCloudToken.ts).
 */
export function triggerSourceFromContext(context: unknown): string | undefined {
  if (!context || typeof context !== 'object') return undefined;
  try {
    const src = tcb.getCloudbaseContext(context as Parameters<typeof tcb.getCloudbaseContext>[0]).TRIGGER_SRC;
    return typeof src === 'string' && src.length > 0 ? src : undefined;
  } catch {
    return undefined;
  }
}
