// The grade formula at its edges (docs/property.md, "The grade"): no ratings, no orders, neither,
// all perfect, all worst, the rounding line, and the light's thresholds.
import { emptySums, GRADE, gradeOf, lightOf, redReasons, type MonthFacts } from '../../cloudfunctions/property/formula';

const facts = (over: Partial<MonthFacts> = {}): MonthFacts => ({
  ratingCount: 0,
  sums: emptySums(),
  orders: 0,
  complaints: 0,
  completed: 0,
  onTime: 0,
  reworked: 0,
  ...over,
});
const rated = (count: number, stars: number) => ({
  ratingCount: count,
  sums: { hygiene: count * stars, order: count * stars, repair: count * stars, attitude: count * stars, fees: count * stars },
});

test('no ratings and no orders: no grade, no light', () => {
  const g = gradeOf(facts());
  expect(g).toMatchObject({ score: null, stars: null, light: null, ratingScore: null, onTimeRate: null, complaintRate: null });
  expect(Object.values(g.dimensions).every((d) => d === null)).toBe(true);
});

test('all perfect: 5 stars, green', () => {
  const g = gradeOf(facts({ ...rated(10, 5), orders: 8, complaints: 0, completed: 8, onTime: 8, reworked: 0 }));
  expect(g).toMatchObject({ score: 5, stars: 5, light: 'green', onTimeRate: 1, complaintRate: 0, reworkRate: 0 });
});

test('all worst: 1 star, red', () => {
  const g = gradeOf(facts({ ...rated(10, 1), orders: 8, complaints: 8, completed: 8, onTime: 0, reworked: 8 }));
  expect(g).toMatchObject({ score: 1, stars: 1, light: 'red', complaintRate: 1 });
});

test('no ratings: the orders alone grade (their weights shared out)', () => {
  const g = gradeOf(facts({ orders: 4, complaints: 0, completed: 4, onTime: 4 }));
  expect(g).toMatchObject({ ratingScore: null, score: 5, stars: 5 });
  // Half on time: onTime 3, complaints 5, rework 5 → (0.2·3 + 0.15·5 + 0.15·5) / 0.5 = 4.2.
  expect(gradeOf(facts({ orders: 4, completed: 4, onTime: 2 }))).toMatchObject({ score: 4.2, stars: 4 });
});

test('no orders: the ratings alone grade', () => {
  expect(gradeOf(facts(rated(3, 4)))).toMatchObject({
    score: 4,
    stars: 4,
    onTimeRate: null,
    complaintRate: null,
    reworkRate: null,
  });
  // Orders placed but none completed: on-time and rework have no data, the complaint rate has.
  const g = gradeOf(facts({ ...rated(2, 4), orders: 2, complaints: 0 }));
  expect(g.scores).toEqual({ ratings: 4, onTime: null, complaints: 5, rework: null });
  expect(g.score).toBe(4.23); // (0.5·4 + 0.15·5) / 0.65
});

test('dimensions average separately; the rating score is their mean', () => {
  const g = gradeOf(facts({ ratingCount: 2, sums: { hygiene: 10, order: 8, repair: 6, attitude: 4, fees: 3 } }));
  expect(g.dimensions).toEqual({ hygiene: 5, order: 4, repair: 3, attitude: 2, fees: 1.5 });
  expect(g.ratingScore).toBe(3.1);
});

test('stars round half up: 2.5 is 3, 2.49 is 2', () => {
  // Ratings only: the score is the rating score. 2.5 = (2+3)/2 on every dimension.
  expect(gradeOf(facts({ ratingCount: 2, sums: { hygiene: 5, order: 5, repair: 5, attitude: 5, fees: 5 } }))).toMatchObject({
    score: 2.5,
    stars: 3,
  });
  const just = gradeOf(facts({ ratingCount: 100, sums: { hygiene: 249, order: 249, repair: 249, attitude: 249, fees: 249 } }));
  expect(just).toMatchObject({ score: 2.49, stars: 2, light: 'red' });
});

test('rates past their caps score 1, never below', () => {
  const g = gradeOf(facts({ orders: 10, complaints: 5, completed: 10, onTime: 10, reworked: 9 }));
  expect(g.scores).toMatchObject({ complaints: 1, rework: 1, onTime: 5 });
  const half = gradeOf(facts({ orders: 4, complaints: 1, completed: 4, onTime: 4, reworked: 1 }));
  expect(half.scores).toMatchObject({ complaints: 3, rework: 3 }); // 25 % of a 50 % cap
});

test('the light: red at a grade of 2 or a complaint rate of 30 %, yellow at 3 stars or 15 %', () => {
  expect(GRADE.redComplaintRate).toBe(0.3);
  expect(lightOf(2, 0)).toBe('red');
  expect(lightOf(3, 0)).toBe('yellow');
  expect(lightOf(4, 0)).toBe('green');
  expect(lightOf(5, 0.3)).toBe('red');
  expect(lightOf(5, 0.2999)).toBe('yellow');
  expect(lightOf(5, 0.15)).toBe('yellow');
  expect(lightOf(5, 0.1499)).toBe('green');
  expect(lightOf(4, null)).toBe('green');
  expect(lightOf(null, 1)).toBeNull();
  // Exactly 3 complaints in 10 orders with perfect ratings: red by the rate alone, and said why.
  const g = gradeOf(facts({ ...rated(5, 5), orders: 10, complaints: 3, completed: 10, onTime: 10 }));
  expect(g.stars).toBe(5);
  expect(g.light).toBe('red');
  expect(redReasons(g)).toEqual(['投诉率 30%（30% 及以上亮红灯）']);
});
