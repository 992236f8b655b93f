// Every validation message names the field, says what is wrong and what is allowed
// (「评分应为 1–5 的整数」), for every field of every action: this walks every schema, sends each
// field a wrong type (and numbers a value out of range, choices an unknown option), and reads the
// sentence the router would answer.
import type { z } from 'zod';
import { allowedOf } from '../../cloudfunctions/common/fields';
import { describeIssue, fieldLabel } from '../../cloudfunctions/common/validation';
import { memberSchemas } from '../../cloudfunctions/member/api';
import { messageSchemas } from '../../cloudfunctions/messages/api';
import { noticeSchemas } from '../../cloudfunctions/notices/api';
import { ordersSchemas } from '../../cloudfunctions/orders/api';
import { parkingSchemas } from '../../cloudfunctions/parking/api';
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { startTestCloud } from '../helpers/local';
import { invokeAs, refusal } from '../helpers/call';

const SCHEMAS: Record<string, Record<string, z.ZodType>> = {
  member: memberSchemas,
  messages: messageSchemas,
  notices: noticeSchemas,
  orders: ordersSchemas,
  parking: parkingSchemas,
};

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  checks?: { _zod: { def: { check: string; value?: number } } }[];
  entries?: Record<string, string>;
}
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The payload fields of a schema, with the schema of each (wrappers and transforms unwrapped). */
function leaves(schema: z.ZodType, path: string[] = []): { path: string[]; schema: z.ZodType }[] {
  const def = defOf(schema);
  if (def.innerType) return leaves(def.innerType, path);
  if (def.type === 'pipe') return leaves(def.in!, path);
  if (def.type === 'object') return Object.entries(def.shape!).flatMap(([k, s]) => leaves(s, [...path, k]));
  return [{ path, schema }];
}

function withValue(path: string[], value: unknown): Record<string, unknown> {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

/** The router's sentence for the first issue at (or under) `path`. */
function messageFor(schema: z.ZodType, path: string[], value: unknown): string | undefined {
  const res = schema.safeParse(withValue(path, value), { reportInput: true });
  if (res.success) return undefined;
  const issue = res.error.issues.find((i) => path.every((k, n) => i.path[n] === k));
  return issue && describeIssue(issue as z.core.$ZodIssue, schema);
}

const FIELDS = Object.entries(SCHEMAS).flatMap(([fn, schemas]) =>
  Object.entries(schemas).flatMap(([action, schema]) =>
    leaves(schema).map((leaf) => ({ name: `${fn}.${action}.${leaf.path.join('.')}`, root: schema, ...leaf })),
  ),
);

const CJK = /[\u4e00-\u9fa5]/;
const VAGUE = ['太大或太多', '太小或太少', '不正确', '不在可选范围内', '格式不对'];

test('the walk reaches the fields it must', () => {
  expect(FIELDS.map((f) => f.name)).toEqual(
    expect.arrayContaining(['orders.rate.stars', 'orders.saveService.stepLimits.dispatch', 'parking.publishWindow.weekdays']),
  );
});

test.each(FIELDS.map((f) => [f.name, f] as const))('%s: a wrong type is named, with what is allowed', (_, f) => {
  const field = fieldLabel(f.path[f.path.length - 1]);
  expect(field).toMatch(CJK);
  const allowed = allowedOf(f.schema);
  expect(allowed).toBeDefined();
  const message = messageFor(f.root, f.path, { wrong: true });
  expect(message).toContain(field);
  expect(message).toContain(allowed!);
  for (const vague of VAGUE) expect(message).not.toContain(vague);
});

const NUMBERS = FIELDS.filter((f) => defOf(f.schema).type === 'number');
test.each(NUMBERS.map((f) => [f.name, f] as const))('%s: out of range says the range', (_, f) => {
  const checks = (defOf(f.schema).checks ?? []).map((c) => c._zod.def);
  const lo = checks.find((c) => c.check === 'greater_than')?.value;
  const hi = checks.find((c) => c.check === 'less_than')?.value;
  const expected = `${fieldLabel(f.path[f.path.length - 1])}应为 ${allowedOf(f.schema)}`;
  if (lo !== undefined) expect(messageFor(f.root, f.path, lo - 1)).toBe(expected);
  if (hi !== undefined) expect(messageFor(f.root, f.path, hi + 1)).toBe(expected);
  if (checks.some((c) => c.check === 'number_format')) expect(messageFor(f.root, f.path, (lo ?? 0) + 0.5)).toBe(expected);
});

const ENUMS = FIELDS.filter((f) => defOf(f.schema).type === 'enum');
test.each(ENUMS.map((f) => [f.name, f] as const))('%s: an unknown option lists the options', (_, f) => {
  const options = Object.values(defOf(f.schema).entries!);
  const message = messageFor(f.root, f.path, 'no-such-option');
  expect(message).toBe(`${fieldLabel(f.path[f.path.length - 1])}只能是${allowedOf(f.schema)}`);
  expect(message).toContain(String(options[0]));
});

describe('through the real router', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startTestCloud();
    await seedIfEmpty(cloud);
  });
  afterAll(() => cloud.close());

  test.each([
    ['orders', 'rate', { orderId: 'o1', stars: '5' }, '评分应为 1–5 的整数'],
    ['orders', 'rate', { orderId: 'o1', stars: 6 }, '评分应为 1–5 的整数'],
    ['orders', 'rate', { orderId: 'o1' }, '请填写评分'],
    ['orders', 'listMine', { page: 0 }, '页码应为 1–10000 的整数'],
    ['parking', 'publishWindow', { spotId: 's1', weekdays: [8], from: '08:00', to: '18:00' }, '星期应为 1–7 的整数'],
  ] as const)('%s.%s %j → %s', async (fn, action, payload, message) => {
    const res = await invokeAs(cloud, fn, action as never, payload, 'demo-resident-2');
    expect(refusal(res)).toEqual({ code: 'E_VALIDATION', message });
  });
});
