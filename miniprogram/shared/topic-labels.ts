// Topic (议题) states, the five steps of 民主协商五步工作法, the worker steps' clocks and their
// Chinese labels: one definition for the affairs function and the pages. Plain constants that
// import nothing (tests/cloud/imports.test.ts), like order-labels.ts.

export const TOPIC_STATUSES = ['proposed', 'listed', 'scheduled', 'discussed', 'decided', 'done', 'declined'] as const;
export type TopicStatus = (typeof TOPIC_STATUSES)[number];

export const TOPIC_STATUS_LABELS: Record<TopicStatus, string> = {
  proposed: '征集中',
  listed: '已列入议事清单',
  scheduled: '待开议事会',
  discussed: '已协商',
  decided: '决议落实中',
  done: '已落实',
  declined: '未采纳',
};

/** 民主协商五步工作法, in order. */
export const FIVE_STEPS = ['征集议题', '确定议题', '协商讨论', '形成决议', '公示落实'] as const;

/** How many of the five steps a topic in this status has finished (declined: stopped after the first). */
export const STEPS_DONE: Record<TopicStatus, number> = {
  proposed: 1,
  listed: 2,
  scheduled: 2,
  discussed: 3,
  decided: 4,
  done: 5,
  declined: 1,
};

/** The list's tabs and the statuses each shows. */
export const TOPIC_TABS = ['all', 'collecting', 'discussing', 'implementing', 'done', 'declined'] as const;
export type TopicTab = (typeof TOPIC_TABS)[number];

export const TOPIC_TAB_STATUSES: Record<Exclude<TopicTab, 'all'>, readonly TopicStatus[]> = {
  collecting: ['proposed'],
  discussing: ['listed', 'scheduled', 'discussed'],
  implementing: ['decided'],
  done: ['done'],
  declined: ['declined'],
};

export const TOPIC_TAB_LABELS: Record<TopicTab, string> = {
  all: '全部',
  collecting: '征集中',
  discussing: '协商中',
  implementing: '落实中',
  done: '已落实',
  declined: '未采纳',
};

/** The workers' steps that run on a clock (docs/affairs.md, 线上议事 — time limits). */
export const TOPIC_CLOCKS = ['confirm', 'schedule', 'minutes', 'decide', 'implement'] as const;
export type TopicClock = (typeof TOPIC_CLOCKS)[number];

export const TOPIC_CLOCK_LABELS: Record<TopicClock, string> = {
  confirm: '确定议题',
  schedule: '安排议事会',
  minutes: '发布会议纪要',
  decide: '形成决议',
  implement: '落实决议',
};

/** What a worker may do next, as buttons on the topic page. */
export const TOPIC_STEPS = ['accept', 'schedule', 'minutes', 'decide', 'decline', 'progress', 'finish'] as const;
export type TopicStep = (typeof TOPIC_STEPS)[number];

export const TOPIC_STEP_LABELS: Record<TopicStep, string> = {
  accept: '列入议事清单',
  schedule: '安排议事会',
  minutes: '发布会议纪要',
  decide: '形成决议',
  decline: '不予采纳',
  progress: '记录落实进展',
  finish: '落实完成',
};

/** What the timeline says for each kind of entry. */
export const TOPIC_EVENTS = [
  'propose',
  'accept',
  'schedule',
  'reschedule',
  'minutes',
  'decide',
  'decline',
  'progress',
  'finish',
] as const;
export type TopicEvent = (typeof TOPIC_EVENTS)[number];

export const TOPIC_EVENT_LABELS: Record<TopicEvent, string> = {
  propose: '提出议题',
  accept: '列入议事清单',
  schedule: '安排议事会',
  reschedule: '议事会改期',
  minutes: '发布会议纪要',
  decide: '形成决议并公示',
  decline: '不予采纳',
  progress: '落实进展',
  finish: '落实完成',
};
