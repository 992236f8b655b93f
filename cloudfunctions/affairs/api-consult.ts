// Residents' consultations (意见征询): a worker asks, each household answers once (one of the
// options), everyone sees simple counts. Not an owners' decision: no area, no quorum.
import { z } from 'zod';
import { choice, id, instantText, page, requestId, text, type Page } from '../common/schema';

export const CONSULT_OPTIONS_MIN = 2;
export const CONSULT_OPTIONS_MAX = 6;

export const consultSchemas = {
  createConsult: z.strictObject({
    title: text(40, { label: '标题', scene: 3 }),
    body: text(2000, { label: '正文', scene: 3, multiline: true }),
    options: z
      .array(text(20, { label: '选项', scene: 3 }))
      .min(CONSULT_OPTIONS_MIN)
      .max(CONSULT_OPTIONS_MAX),
    buildings: z.array(choice(20)).max(100).optional(),
    closesAt: instantText('截止时间'),
    requestId,
  }),
  listConsults: z.strictObject({ page }),
  getConsult: z.strictObject({ consultId: id }),
  answerConsult: z.strictObject({
    consultId: id,
    option: z
      .number()
      .int()
      .min(0)
      .max(CONSULT_OPTIONS_MAX - 1),
  }),
  closeConsult: z.strictObject({ consultId: id }),
};

type In<A extends keyof typeof consultSchemas> = z.input<(typeof consultSchemas)[A]>;

export type ConsultState = 'open' | 'closed';

export interface ConsultSummary {
  _id: string;
  title: string;
  state: ConsultState;
  closesAt: string;
  scopeText: string;
  answered: number;
}

export interface ConsultDetail extends ConsultSummary {
  body: string;
  options: { text: string; count: number }[];
  /** The option the caller's household chose, if it answered. */
  myOption?: number;
  /** Why the caller cannot answer, if so. */
  reason?: string;
  canAnswer: boolean;
}

export interface ConsultApi {
  createConsult: { input: In<'createConsult'>; output: ConsultDetail };
  listConsults: { input: In<'listConsults'>; output: Page<ConsultSummary> };
  getConsult: { input: In<'getConsult'>; output: ConsultDetail };
  answerConsult: { input: In<'answerConsult'>; output: ConsultDetail };
  closeConsult: { input: In<'closeConsult'>; output: ConsultDetail };
}
