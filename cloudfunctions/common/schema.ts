// Small zod building blocks shared by every function's API schemas.
//
// Every string a payload can carry is one of a few kinds, and the kind is marked on its schema so
// the router and the tests can find it: `text` — written by a person and shown to others, so the
// router runs WeChat's content check on it (content.ts); `choice` — picked from something the
// community already has (a building), matched against it by the handler; `picture` — an uploaded
// file id the handler checks (files.ts); anything else is closed by a pattern (ids, phones, times).
import { z } from 'zod';
import type { TextScene } from './wxopen';

export type FieldKind = 'text' | 'choice' | 'picture' | 'voice' | 'closed';

export interface FieldMark {
  kind: FieldKind;
  /** For `text`: the field's name in a refusal (「拒单原因」含有不当内容…); the field label otherwise. */
  label?: string;
  /** For `text`: msgSecCheck's scene — 1 资料 (names, rooms, places), 2 评论 (the default), 3 论坛. */
  scene?: TextScene;
  /** What the field allows, said for a person (validation.ts): 「系统给出的编号」, 「11 位手机号」. */
  allowed?: string;
}

const marks = new WeakMap<z.ZodType, FieldMark>();

/** Marks a schema with its kind; the schema is returned as it is. */
export function mark<T extends z.ZodType>(schema: T, m: FieldMark): T {
  marks.set(schema, m);
  return schema;
}

export const markOf = (schema: z.ZodType): FieldMark | undefined => marks.get(schema);

// --------------------------------------------------------------------------- text hygiene

/** C0 and C1 controls and DEL (line breaks are judged apart). */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;
/** Bidirectional controls: they make text display in another order than it is stored (U+202E). */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Characters that show nothing: whitespace, zero-width ones, fillers, the soft hyphen, braille blank. */
const INVISIBLE = /[\s\u00ad\u115f\u1160\u180e\u200b-\u200d\u2060\u2800\u3164\ufeff\uffa0]/gu;

/** Why a text is refused, named in `params.hygiene`; validation.ts words it with the field's label. */
export type HygieneRule = 'control' | 'bidi' | 'surrogate' | 'lines' | 'invisible';

export function hygieneProblem(s: string, multiline: boolean): HygieneRule | undefined {
  if (LONE_SURROGATE.test(s)) return 'surrogate';
  if (BIDI.test(s)) return 'bidi';
  if (CONTROL.test(s)) return 'control';
  if (!multiline && s.includes('\n')) return 'lines';
  if (s.length > 0 && s.replace(INVISIBLE, '').length === 0) return 'invisible';
  return undefined;
}

interface TextOptions {
  label?: string;
  scene?: TextScene;
  /** Descriptions, notes, notice bodies: line breaks allowed (CRLF stored as LF). Names never. */
  multiline?: boolean;
}

function cleanString(max: number, multiline: boolean) {
  return z
    .string()
    .overwrite((s) => (multiline ? s.replace(/\r\n?/g, '\n') : s))
    .trim()
    .max(max)
    .superRefine((s, ctx) => {
      const rule = hygieneProblem(s, multiline);
      if (rule) ctx.addIssue({ code: 'custom', message: rule, params: { hygiene: rule } });
    });
}

/** Person-written text, trimmed, non-empty, clean (above), content-checked by the router. */
export const text = (max: number, opts: TextOptions = {}) =>
  mark(cleanString(max, opts.multiline ?? false).min(1), { kind: 'text', label: opts.label, scene: opts.scene });

/** Optional person-written text; an empty string counts as absent. */
export const optionalText = (max: number, opts: TextOptions = {}) =>
  mark(
    cleanString(max, opts.multiline ?? false)
      .optional()
      .transform((v) => (v ? v : undefined)),
    { kind: 'text', label: opts.label, scene: opts.scene },
  );

/** A name picked from the community's own list (a building): clean, one line, matched by the handler. */
export const choice = (max: number) => mark(cleanString(max, false).min(1), { kind: 'choice' });

export const optionalChoice = (max: number) =>
  mark(
    cleanString(max, false)
      .optional()
      .transform((v) => (v ? v : undefined)),
    { kind: 'choice' },
  );

/** A string closed by a pattern; `allowed` says what fits, for the message when it does not. */
export const pattern = (re: RegExp, allowed: string) => mark(z.string().regex(re), { kind: 'closed', allowed });

/** A document id or openid: plain characters only, so it can never smuggle a query operator. */
export const id = pattern(/^[A-Za-z0-9_:\-]{1,64}$/, '系统给出的编号');

/** Mainland mobile number. */
export const phone = pattern(/^1[3-9]\d{9}$/, '11 位手机号，例如 13812345678');

/** The client's id of one submission, repeated on retries so the submission happens once. */
export const requestId = pattern(/^[A-Za-z0-9_\-]{8,64}$/, '8–64 位字母、数字、下划线或连字符组成的请求编号');

/** 1-based page number for lists of 20. */
export const page = z.number().int().min(1).max(10000).optional();

export const PAGE_SIZE = 20;

// --------------------------------------------------------------------------- dates

/** Years a date in this product can have: nothing is booked, posted or kept before 2000 or after 2099. */
const YEARS = { min: 2000, max: 2099 };

/** A real calendar day (no 2026-02-31, no year 0000). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < YEARS.min || year > YEARS.max || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` that is a real calendar day. */
export function isDateText(s: string): boolean {
  const m = DATE_TEXT.exec(s);
  return Boolean(m) && isCalendarDate(+m![1], +m![2], +m![3]);
}

const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** ISO 8601 with an offset (`2030-01-07T10:00:00+08:00`), on a real calendar day at a real time. */
export function isIsoWithOffset(s: string): boolean {
  const m = ISO_WITH_OFFSET.exec(s);
  if (!m) return false;
  const [, y, mo, d, h, mi, sec] = m;
  if (!isCalendarDate(+y, +mo, +d) || +h > 23 || +mi > 59 || (sec !== undefined && +sec > 59)) return false;
  return Number.isFinite(Date.parse(s));
}

/** `YYYY-MM-DD`, a real day; `message` says what to type. */
export const dateText = (message: string) =>
  mark(z.string().trim().refine(isDateText, message), { kind: 'closed', allowed: '真实的日期，例如 2030-01-07' });

/** An instant with an offset, kept as the text; `label` names the field in the message. */
export const instantText = (label: string) =>
  mark(z.string().trim().refine(isIsoWithOffset, `${label}格式不对，应为带时区的时间，例如 2030-01-07T10:00:00+08:00`), {
    kind: 'closed',
    allowed: '带时区的时间，例如 2030-01-07T10:00:00+08:00',
  });

/** An instant with an offset, answered as a Date. */
export const instant = (label: string) => instantText(label).transform((s) => new Date(s));

/** A picture the caller uploaded (`cloud://…`); the handler checks it with files.ts checkAttachments. */
export const picture = (message: string) =>
  mark(
    z
      .string()
      .trim()
      .max(300)
      .refine((s) => /^cloud:\/\/[A-Za-z0-9._\-\/]+$/.test(s), message),
    { kind: 'picture', allowed: '已上传图片的编号（cloud://…）' },
  );

/** A voice message the caller uploaded (`cloud://…`); the handler checks it with voice.ts checkVoiceFile. */
export const voiceFile = (message: string) =>
  mark(
    z
      .string()
      .trim()
      .max(300)
      .refine((s) => /^cloud:\/\/[A-Za-z0-9._\-\/]+$/.test(s), message),
    { kind: 'voice', allowed: '已上传语音的编号（cloud://…）' },
  );

export interface Page<T> {
  items: T[];
  page: number;
  hasMore: boolean;
}
