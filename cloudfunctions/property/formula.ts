// The month's grade of the property company (评星定级, docs/property.md "The grade"): pure
// arithmetic over the month's household ratings and the company's orders, so it is tested at its
// edges without a cloud. Every constant of the formula is here and in the doc, nowhere else.

import { DIMENSIONS, type Dimension } from '../../miniprogram/shared/property-labels';

export { DIMENSION_LABELS, DIMENSIONS, type Dimension } from '../../miniprogram/shared/property-labels';

export const GRADE = {
  /** Weights of the four parts; a part without data drops out and the others share its weight. */
  weights: { ratings: 0.5, onTime: 0.2, complaints: 0.15, rework: 0.15 },
  /** A complaint rate at or above this scores 1 (the worst); 0 scores 5. Linear between. */
  complaintCap: 0.5,
  /** A rework rate at or above this scores 1; 0 scores 5. */
  reworkCap: 0.5,
  /** Red light: a grade at or below this many stars … */
  redGrade: 2,
  /** … or a complaint rate at or above this. */
  redComplaintRate: 0.3,
  /** Yellow light: a grade of this many stars, or a complaint rate at or above `yellowComplaintRate`. */
  yellowGrade: 3,
  yellowComplaintRate: 0.15,
} as const;

/** What the month's data come to (counts only: the formula never sees a person). */
export interface MonthFacts {
  /** Household ratings: how many, and the sum of stars of each dimension over them. */
  ratingCount: number;
  sums: Record<Dimension, number>;
  /** The company's orders placed in the month and not cancelled. */
  orders: number;
  /** Of them, complaints (投诉 items). */
  complaints: number;
  /** Of them, the ones completed (served to the end), those completed inside the serve time, and those sent back for rework. */
  completed: number;
  onTime: number;
  reworked: number;
}

export type GradeLight = 'green' | 'yellow' | 'red';

export interface GradeParts {
  /** Average stars per dimension (one decimal); null without ratings. */
  dimensions: Record<Dimension, number | null>;
  /** Mean of the dimension averages, 1–5; null without ratings. */
  ratingScore: number | null;
  onTimeRate: number | null;
  complaintRate: number | null;
  reworkRate: number | null;
  /** Each part on the 1–5 scale; null when it has no data. */
  scores: { ratings: number | null; onTime: number | null; complaints: number | null; rework: number | null };
  /** The weighted score (two decimals), and the stars it rounds to (half up); null when no part has data. */
  score: number | null;
  stars: number | null;
  light: GradeLight | null;
}

const round = (x: number, digits: number): number => {
  const f = 10 ** digits;
  // The epsilon keeps 2.5 from becoming 2.4999… before rounding half up.
  return Math.round((x + Number.EPSILON) * f) / f;
};

/** 1 at `cap` or above, 5 at 0, linear between. */
const inverse = (rate: number, cap: number): number => 5 - 4 * Math.min(1, rate / cap);

export function gradeOf(f: MonthFacts): GradeParts {
  const dimensions = {} as Record<Dimension, number | null>;
  for (const d of DIMENSIONS) dimensions[d] = f.ratingCount > 0 ? round(f.sums[d] / f.ratingCount, 1) : null;
  const ratingScore =
    f.ratingCount > 0 ? DIMENSIONS.reduce((sum, d) => sum + f.sums[d] / f.ratingCount, 0) / DIMENSIONS.length : null;
  const onTimeRate = f.completed > 0 ? f.onTime / f.completed : null;
  const reworkRate = f.completed > 0 ? f.reworked / f.completed : null;
  const complaintRate = f.orders > 0 ? f.complaints / f.orders : null;
  const scores = {
    ratings: ratingScore,
    onTime: onTimeRate === null ? null : 1 + 4 * onTimeRate,
    complaints: complaintRate === null ? null : inverse(complaintRate, GRADE.complaintCap),
    rework: reworkRate === null ? null : inverse(reworkRate, GRADE.reworkCap),
  };
  let weight = 0;
  let total = 0;
  for (const key of Object.keys(scores) as (keyof typeof scores)[]) {
    const s = scores[key];
    if (s === null) continue;
    weight += GRADE.weights[key];
    total += GRADE.weights[key] * s;
  }
  const score = weight > 0 ? round(total / weight, 2) : null;
  const stars = score === null ? null : Math.min(5, Math.max(1, Math.floor(score + 0.5)));
  return {
    dimensions,
    ratingScore: ratingScore === null ? null : round(ratingScore, 2),
    onTimeRate: onTimeRate === null ? null : round(onTimeRate, 4),
    complaintRate: complaintRate === null ? null : round(complaintRate, 4),
    reworkRate: reworkRate === null ? null : round(reworkRate, 4),
    scores: {
      ratings: scores.ratings === null ? null : round(scores.ratings, 2),
      onTime: scores.onTime === null ? null : round(scores.onTime, 2),
      complaints: scores.complaints === null ? null : round(scores.complaints, 2),
      rework: scores.rework === null ? null : round(scores.rework, 2),
    },
    score,
    stars,
    light: lightOf(stars, complaintRate),
  };
}

/** Red past a line (grade or complaint rate), yellow near it, green otherwise; null without a grade. */
export function lightOf(stars: number | null, complaintRate: number | null): GradeLight | null {
  if (stars === null) return null;
  const rate = complaintRate ?? 0;
  if (stars <= GRADE.redGrade || rate >= GRADE.redComplaintRate) return 'red';
  if (stars <= GRADE.yellowGrade || rate >= GRADE.yellowComplaintRate) return 'yellow';
  return 'green';
}

/** Why the light is red, in Chinese, for the warning record and the message. */
export function redReasons(parts: GradeParts): string[] {
  const out: string[] = [];
  if (parts.stars !== null && parts.stars <= GRADE.redGrade)
    out.push(`本月评级 ${parts.stars} 星（${GRADE.redGrade} 星及以下亮红灯）`);
  if (parts.complaintRate !== null && parts.complaintRate >= GRADE.redComplaintRate) {
    out.push(`投诉率 ${percent(parts.complaintRate)}（${percent(GRADE.redComplaintRate)} 及以上亮红灯）`);
  }
  return out;
}

export const percent = (rate: number): string => `${round(rate * 100, 1)}%`;

export const emptySums = (): Record<Dimension, number> => ({ hygiene: 0, order: 0, repair: 0, attitude: 0, fees: 0 });
