// Small zod building blocks shared by every function's API schemas.
import { z } from 'zod';

/** Trimmed, non-empty text with a length limit. */
export const text = (max: number, min = 1) => z.string().trim().min(min).max(max);

/** An optional trimmed text; an empty string counts as absent. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

/** A document id or openid: plain characters only, so it can never smuggle a query operator. */
export const id = z.string().regex(/^[A-Za-z0-9_:\-]{1,64}$/);

/** Mainland mobile number. */
export const phone = z.string().regex(/^1[3-9]\d{9}$/);

/** 1-based page number for lists of 20. */
export const page = z.number().int().min(1).max(10000).optional();

export const PAGE_SIZE = 20;

export interface Page<T> {
  items: T[];
  page: number;
  hasMore: boolean;
}
