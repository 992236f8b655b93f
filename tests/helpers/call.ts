// Calls a function as a given caller through the local cloud, with typed answers.
import type { ErrorCode, Result } from '../../cloudfunctions/common/envelope';
import type { LocalCloud } from '../../local/cloud';

export type Caller = string | undefined;

export function caller<Api>(cloud: LocalCloud, fn: string) {
  return async function call<A extends keyof Api & string>(
    openid: Caller,
    action: A,
    payload?: Api[A] extends { input: infer I } ? I : never,
  ): Promise<Result<Api[A] extends { output: infer O } ? O : never>> {
    return cloud.invoke(fn, { action, payload }, openid);
  };
}

/** The data of a successful answer; fails the test with the error otherwise. */
export function data<T>(res: Result<T>): T {
  if (!res.ok) throw new Error(`expected ok, got ${res.error.code}: ${res.error.message}`);
  return res.data;
}

export function errorCode(res: Result<unknown>): ErrorCode | 'OK' {
  return res.ok ? 'OK' : res.error.code;
}
