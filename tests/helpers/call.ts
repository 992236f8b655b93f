// Calls a function as a given caller through the local cloud, with typed answers.
import type { ErrorBody, ErrorCode, Result } from '../../cloudfunctions/common/envelope';
import type { AffairsApi } from '../../cloudfunctions/affairs/api';
import type { DeskApi } from '../../cloudfunctions/desk/api';
import type { MemberApi } from '../../cloudfunctions/member/api';
import type { MessagesApi } from '../../cloudfunctions/messages/api';
import type { NoticesApi } from '../../cloudfunctions/notices/api';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import type { ParkingApi } from '../../cloudfunctions/parking/api';
import type { sweepOrders } from '../../cloudfunctions/orders/sweep';
import type { sweepParking } from '../../cloudfunctions/parking/sweep';
import type { sweepReminders } from '../../cloudfunctions/notices/reminders';
import type { sweepLimits } from '../../cloudfunctions/common/limits';
import type { sweepTopics } from '../../cloudfunctions/affairs/topic-sweep';
import type { sweepLedger } from '../../cloudfunctions/ledger/sweep';
import type { LocalCloud } from '../../local/cloud';
import type { LedgerApi } from '../../cloudfunctions/ledger/api';
import type { PropertyApi } from '../../cloudfunctions/property/api';
import type { StatsApi } from '../../cloudfunctions/stats/api';
import type { StreetApi } from '../../cloudfunctions/street/api';

export type Caller = string | undefined;

/** Every function with actions, by name: what `caller` and `invokeData` type their answers by. */
export interface Apis {
  affairs: AffairsApi;
  desk: DeskApi;
  member: MemberApi;
  messages: MessagesApi;
  notices: NoticesApi;
  orders: OrdersApi;
  parking: ParkingApi;
  ledger: LedgerApi;
  property: PropertyApi;
  stats: StatsApi;
  street: StreetApi;
}

export type Input<Api, A extends keyof Api> = Api[A] extends { input: infer I } ? I : never;
export type Output<Api, A extends keyof Api> = Api[A] extends { output: infer O } ? O : never;

export function caller<Api>(cloud: LocalCloud, fn: string) {
  return async function call<A extends keyof Api & string>(
    openid: Caller,
    action: A,
    payload?: Input<Api, A>,
  ): Promise<Result<Output<Api, A>>> {
    // The function's own contract (api.ts) types what its router answers for this action.
    return (await cloud.invoke(fn, { action, payload }, openid)) as Result<Output<Api, A>>;
  };
}

/**
 * `fn.action` as `openid`, typed by the function's api.ts, when a test sends a payload the
 * contract does not describe (a hostile or partial one): the answer is still typed.
 */
export async function invokeAs<F extends keyof Apis, A extends keyof Apis[F] & string>(
  cloud: LocalCloud,
  fn: F,
  action: A,
  payload: unknown,
  openid: Caller,
): Promise<Result<Output<Apis[F], A>>> {
  return (await cloud.invoke(fn, { action, payload }, openid)) as Result<Output<Apis[F], A>>;
}

/** The data of `fn.action` as `openid`; fails the test with the error otherwise. */
export async function invokeData<F extends keyof Apis, A extends keyof Apis[F] & string>(
  cloud: LocalCloud,
  fn: F,
  action: A,
  payload: unknown,
  openid: Caller,
): Promise<Output<Apis[F], A>> {
  const res = await invokeAs(cloud, fn, action, payload, openid);
  if (!res.ok) throw new Error(`${fn}.${action}: ${res.error.code} ${res.error.message}`);
  return res.data;
}

/** What the timer function answers: one report per sweep (cloudfunctions/timer/index.ts SWEEPS). */
export interface TimerReport {
  orders: Awaited<ReturnType<typeof sweepOrders>>;
  parking: Awaited<ReturnType<typeof sweepParking>>;
  notices: Awaited<ReturnType<typeof sweepReminders>>;
  topics: Awaited<ReturnType<typeof sweepTopics>>;
  ledger: Awaited<ReturnType<typeof sweepLedger>>;
  limits: Awaited<ReturnType<typeof sweepLimits>>;
}

/** Runs the timer function's trigger now; its report, or the test fails with the error. */
export async function runTimer(cloud: LocalCloud): Promise<TimerReport> {
  return data(await cloud.runTimer('timer')) as TimerReport;
}

/** The data of a successful answer; fails the test with the error otherwise. */
export function data<T>(res: Result<T>): T {
  if (!res.ok) throw new Error(`expected ok, got ${res.error.code}: ${res.error.message}`);
  return res.data;
}

/** The error of a refused answer; fails the test when the call succeeded. */
export function refusal(res: Result<unknown>): ErrorBody {
  if (res.ok) throw new Error('expected a refusal, got ok');
  return res.error;
}

export function errorCode(res: Result<unknown>): ErrorCode | 'OK' {
  return res.ok ? 'OK' : res.error.code;
}
