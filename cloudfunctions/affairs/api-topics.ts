// Topics (议题): proposals, seconds, comments, the year's 议事清单, meetings, decisions, follow-up.
import type { z } from 'zod';

export const topicSchemas = {} satisfies Record<string, z.ZodType>;

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface TopicsApi {}
