// The property function's contract (评星定级, docs/property.md): the community's property company
// (profile, staff), households' monthly ratings on five dimensions, the month's grade published to
// residents, warnings on a red light and the 约谈 recorded on them, and the company's credit file
// (grade by month). The mini-program imports these types with `import type`.
import { z } from 'zod';
import { id, optionalText, page, pattern, text, type Page } from '../common/schema';
import { DIMENSIONS, type Dimension, type GradeLight } from './formula';

export { DIMENSIONS, DIMENSION_LABELS, type Dimension, type GradeLight } from './formula';

/** `2026-03`, years 2000–2099. */
export const month = pattern(/^20\d{2}-(0[1-9]|1[0-2])$/, '年-月，例如 2026-03');

const stars = z.number().int().min(1).max(5);

/** Outcomes of a 约谈. */
export const TALK_OUTCOMES = ['rectify', 'resolved', 'escalate'] as const;
export type TalkOutcome = (typeof TALK_OUTCOMES)[number];
export const TALK_OUTCOME_LABELS: Record<TalkOutcome, string> = {
  rectify: '限期整改',
  resolved: '已整改到位',
  escalate: '上报街道处理',
};

export const propertySchemas = {
  /** Any member: the company's profile (null when the community has none). */
  company: z.strictObject({}),
  /** Workers: the company's name, project manager and duty phone. */
  saveCompany: z.strictObject({
    name: text(40, { label: '物业公司名称' }),
    manager: text(20, { label: '项目经理' }),
    dutyPhone: pattern(/^[0-9-]{7,20}$/, '值班电话，数字和连字符，例如 0755-12345678 或 13812345678'),
  }),
  /** Members of a verified household: once per household per month, the current month. */
  rate: z.strictObject({
    scores: z.strictObject(Object.fromEntries(DIMENSIONS.map((d) => [d, stars])) as Record<Dimension, typeof stars>),
    comment: optionalText(200, { label: '意见建议', multiline: true }),
  }),
  /** Any member: whether the caller's household has rated this month, and how. */
  myRating: z.strictObject({}),
  /** Any member: a published month's grade (default the latest). */
  grade: z.strictObject({ month: month.optional() }),
  /** Workers: the month's grade as it stands now, not published. */
  preview: z.strictObject({ month }),
  /** Workers: publish an ended month's grade to residents (once). */
  publish: z.strictObject({ month }),
  /** Any member: the credit file, published grades newest first. */
  credit: z.strictObject({ page }),
  /** Workers: the warnings (red lights), newest first. */
  warnings: z.strictObject({ page }),
  /** Workers: a 约谈 on a warning, with its outcome. */
  recordTalk: z.strictObject({
    warningId: id,
    talkDate: pattern(/^20\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '日期，例如 2026-03-05'),
    attendees: text(100, { label: '参加人员' }),
    summary: text(500, { label: '约谈内容', multiline: true }),
    outcome: z.enum(TALK_OUTCOMES),
  }),
};

export interface CompanyView {
  name: string;
  manager: string;
  /** Every member may call the duty phone: it is the company's, not a person's. */
  dutyPhone: string;
  staffCount: number;
}

export interface GradeView {
  month: string;
  monthLabel: string;
  /** 1–5; null when no part had data (no ratings and no orders). */
  stars: number | null;
  score: number | null;
  light: GradeLight | null;
  ratingCount: number;
  dimensions: { key: Dimension; label: string; average: number | null }[];
  ratingScore: number | null;
  onTimeRate: number | null;
  complaintRate: number | null;
  reworkRate: number | null;
  orders: number;
  complaints: number;
  completed: number;
  published: boolean;
  publishedAt?: string;
  noticeId?: string;
  /** The warning the red light recorded (workers only). */
  warningId?: string;
}

export interface MyRatingView {
  month: string;
  rated: boolean;
  /** Rated by someone of the household: their scores (the household's one rating). */
  scores?: Record<Dimension, number>;
  byMe?: boolean;
  mayRate: boolean;
  /** When the caller may not rate: why. */
  reason?: string;
}

export interface TalkView {
  talkDate: string;
  attendees: string;
  summary: string;
  outcome: TalkOutcome;
  outcomeLabel: string;
  byName: string;
  at: string;
}

export interface WarningView {
  _id: string;
  month: string;
  monthLabel: string;
  stars: number | null;
  complaintRate: number | null;
  reasons: string[];
  status: 'open' | 'talked';
  statusLabel: string;
  talks: TalkView[];
  createdAt: string;
}

type In<K extends keyof typeof propertySchemas> = z.input<(typeof propertySchemas)[K]>;

export interface PropertyApi {
  company: { input: In<'company'>; output: { company: CompanyView | null } };
  saveCompany: { input: In<'saveCompany'>; output: { company: CompanyView } };
  rate: { input: In<'rate'>; output: MyRatingView };
  myRating: { input: In<'myRating'>; output: MyRatingView };
  grade: { input: In<'grade'>; output: { grade: GradeView | null } };
  preview: { input: In<'preview'>; output: GradeView };
  publish: { input: In<'publish'>; output: GradeView };
  credit: { input: In<'credit'>; output: Page<GradeView> };
  warnings: { input: In<'warnings'>; output: Page<WarningView> };
  recordTalk: { input: In<'recordTalk'>; output: WarningView };
}
