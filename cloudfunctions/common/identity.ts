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
