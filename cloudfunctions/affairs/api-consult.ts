// Residents' consultations (意见征询): one answer per household, simple counts.
import type { z } from 'zod';

export const consultSchemas = {} satisfies Record<string, z.ZodType>;

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ConsultApi {}
