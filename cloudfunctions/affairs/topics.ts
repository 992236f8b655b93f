// Topics (议题, 线上议事): the residents' actions (topic-actions.ts) and the workers' steps of
// 民主协商五步工作法 (topic-steps.ts); docs/affairs.md, 线上议事.
import { residentTopicActions } from './topic-actions';
import { topicStepActions } from './topic-steps';

export const topicActions = { ...residentTopicActions, ...topicStepActions };
