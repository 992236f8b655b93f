// Which step of 民主协商五步工作法 a topic may take next, and who may second or comment: one
// table the handlers ask before they write and the detail answers as buttons.
import { AppError } from '../common/errors';
import type { MemberCtx } from '../common/router';
import type { TopicStatus, TopicStep } from '../../miniprogram/shared/topic-labels';
import { wallTime } from '../../miniprogram/shared/clock';
import { MAX_PROGRESS, publicName, type TopicDoc } from './topics-model';

/** The statuses each worker step starts from (docs/affairs.md, the status machine). */
export const STEP_FROM: Record<TopicStep, readonly TopicStatus[]> = {
  accept: ['proposed'],
  schedule: ['listed', 'scheduled'],
  minutes: ['scheduled'],
  // From listed or scheduled only with an owners' vote (decideTopic checks the vote).
  decide: ['discussed', 'listed', 'scheduled'],
  decline: ['proposed', 'listed', 'scheduled', 'discussed'],
  progress: ['decided'],
  finish: ['decided'],
};

/** While a topic may be seconded: until it is decided or declined. */
export const SECONDABLE: readonly TopicStatus[] = ['proposed', 'listed', 'scheduled', 'discussed'];

const WHY_NOT: Record<TopicStep, string> = {
  accept: '这个议题已经处理过了，不能再列入议事清单',
  schedule: '只有已列入议事清单、还没开会的议题可以安排议事会',
  minutes: '只有已安排议事会的议题可以发布会议纪要',
  decide: '这个议题现在不能形成决议：请先发布会议纪要，或关联一次业主表决',
  decline: '这个议题已形成决议或已处理完，不能再不予采纳',
  progress: '只有正在落实的决议可以记录进展',
  finish: '只有正在落实的决议可以标记落实完成',
};

export const isWorker = (ctx: MemberCtx): boolean => ctx.member.roles.includes('worker');

/** How the caller appears on a topic: a worker by name, anyone else by public name. */
export const nameOf = (ctx: MemberCtx): string =>
  isWorker(ctx) ? `社区工作者 ${ctx.member.name}` : publicName(ctx.member.name, ctx.member.building);

/** The community year a time falls in (the 议事清单 is yearly). */
export const yearOf = (now: Date): number => wallTime(now).year;

/** The steps a worker may take on the topic now (none for anybody else). */
export function stepsFor(ctx: MemberCtx, t: TopicDoc, now: Date): TopicStep[] {
  if (!isWorker(ctx)) return [];
  return (Object.keys(STEP_FROM) as TopicStep[]).filter((step) => !refusal(step, t, now));
}

/** Why the step cannot be taken now, or null. */
export function refusal(step: TopicStep, t: TopicDoc, now: Date): string | null {
  if (!STEP_FROM[step].includes(t.status)) return WHY_NOT[step];
  if (step === 'minutes' && t.meeting && new Date(t.meeting.at) > now) return '议事会还没开，开完会再发布会议纪要';
  if (step === 'progress' && t.progressCount >= MAX_PROGRESS) {
    return `一个议题最多记录 ${MAX_PROGRESS} 条落实进展，请标记落实完成`;
  }
  return null;
}

/** Refuses with E_CONFLICT (the topic has moved on, or is not there yet) unless the step applies. */
export function assertStep(step: TopicStep, t: TopicDoc, now: Date): void {
  const why = refusal(step, t, now);
  if (why) throw new AppError('E_CONFLICT', why);
}

export const canSecond = (ctx: MemberCtx, t: TopicDoc): boolean =>
  SECONDABLE.includes(t.status) && t.proposerOpenid !== ctx.openid;

export const canComment = (t: TopicDoc): boolean => t.status !== 'declined';
