// The property company's rating dimensions and their Chinese labels (评星定级, docs/property.md):
// the one definition, read by the property function (through cloudfunctions/property/formula.ts)
// and by the mini-program's rating form. Plain constants that import nothing.

/** The five rating dimensions, in the order the form asks them. */
export const DIMENSIONS = ['hygiene', 'order', 'repair', 'attitude', 'fees'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const DIMENSION_LABELS: Record<Dimension, string> = {
  hygiene: '环境卫生',
  order: '秩序维护',
  repair: '设施维修',
  attitude: '服务态度',
  fees: '收费透明',
};
