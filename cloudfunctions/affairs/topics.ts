// Topics (议题): propose, second, comment, 议事清单, meetings, decisions, follow-up.
export const topicActions = {};
