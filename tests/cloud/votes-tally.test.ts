// 民法典 第278条 at its edges: the pure arithmetic (tally.ts), then the same cases through the real
// affairs function, each in a community of its own whose register names exactly the owners counted.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { AffairsApi } from '../../cloudfunctions/affairs/api';
import { areaText, carried, groupOwners, parseArea, quorumMet, tallyOf, type Choice } from '../../cloudfunctions/affairs/tally';
import { startTestCloud } from '../helpers/local';
import { caller, data, type Caller } from '../helpers/call';
import { equalParts, inAWeek, stageCommunity, type PartSpec } from '../helpers/affairs';

describe('the arithmetic', () => {
  const c = (owners: number, area: number) => ({ owners, area });

  test('areas are exact integers of 0.01 m²', () => {
    expect(parseArea('89.56')).toBe(8956);
    expect(parseArea('89.5')).toBe(8950);
    expect(parseArea('0.01')).toBe(1);
    expect(parseArea('100')).toBe(10000);
    // 0.1 + 0.2 in floats is 0.30000000000000004; in 0.01 m² it is 10 + 20 = 30.
    expect(parseArea('0.1') + parseArea('0.2')).toBe(parseArea('0.3'));
    expect(areaText(8956)).toBe('89.56');
    expect(areaText(8950)).toBe('89.5');
    expect(areaText(10000)).toBe('100');
    expect(() => parseArea('1.234')).toThrow();
  });

  test('quorum: exactly 2/3 of owners and of area is enough, one unit less is not', () => {
    expect(quorumMet(c(3, 300), c(2, 200))).toBe(true);
    expect(quorumMet(c(3, 300), c(2, 199))).toBe(false);
    expect(quorumMet(c(6, 300), c(3, 300))).toBe(false); // all the area, half the owners
    expect(quorumMet(c(6, 300), c(4, 200))).toBe(true);
    expect(quorumMet(c(0, 0), c(0, 0))).toBe(false);
    // Not representable in floats: 2/3 of 10 000.01 m² — 3·participated ≥ 2·eligible in integers.
    expect(quorumMet(c(3, 1000001), c(2, 666668))).toBe(true);
    expect(quorumMet(c(3, 1000001), c(2, 666667))).toBe(false);
  });

  test('major: exactly 3/4 of participating owners and area carries it, less does not', () => {
    expect(carried('major', c(4, 400), c(3, 300))).toBe(true);
    expect(carried('major', c(4, 400), c(3, 299))).toBe(false);
    expect(carried('major', c(4, 400), c(2, 399))).toBe(false);
  });

  test('ordinary: more than half of each; exactly half is not enough', () => {
    expect(carried('ordinary', c(4, 400), c(2, 201))).toBe(false); // half the owners
    expect(carried('ordinary', c(4, 400), c(3, 200))).toBe(false); // half the area
    expect(carried('ordinary', c(4, 400), c(3, 201))).toBe(true); // just over, both
    expect(carried('ordinary', c(3, 300), c(2, 151))).toBe(true);
  });

  test('abstentions count as taking part, not as yes', () => {
    const ballots: { choice: Choice; area: number }[] = [
      { choice: 'yes', area: 100 },
      { choice: 'yes', area: 100 },
      { choice: 'abstain', area: 100 },
      { choice: 'no', area: 100 },
    ];
    const t = tallyOf('ordinary', c(4, 400), ballots);
    expect(t).toMatchObject({ participated: c(4, 400), yes: c(2, 200), no: c(1, 100), abstain: c(1, 100), quorumMet: true });
    expect(t.passed).toBe(false); // 2 of 4 is not more than half
  });

  test('owners: one buyer of three parts counts once with the areas summed; the developer once', () => {
    const p = (id: string, area: number, extra: { developer?: boolean; holder?: string; owners?: string[] } = {}) => ({
      _id: id,
      area,
      developer: extra.developer ?? false,
      holder: extra.holder,
      owners: extra.owners ?? [],
    });
    const groups = groupOwners([
      p('a1', 100, { owners: ['ann'] }),
      p('a2', 200, { owners: ['ann'] }),
      p('a3', 300, { holder: 'H1' }),
      p('a4', 50, { holder: 'H1', owners: ['ann'] }),
      p('d1', 1000, { developer: true }),
      p('d2', 1000, { developer: true }),
      p('b1', 80, { owners: ['bob', 'bea'] }), // co-owners of one part: one owner
      p('c1', 90),
    ]);
    const byKey = Object.fromEntries(groups.map((g) => [g.key, g]));
    expect(groups).toHaveLength(4);
    expect(byKey.a1).toMatchObject({ partIds: ['a1', 'a2', 'a3', 'a4'], area: 650 });
    expect(byKey.developer).toMatchObject({ partIds: ['d1', 'd2'], area: 2000 });
    expect(byKey.b1.owners).toEqual(['bob', 'bea']);
    expect(byKey.c1.area).toBe(90);
  });
});

// ------------------------------------------------------------------------------ through the function

let cloud: LocalCloud;
let call: ReturnType<typeof caller<AffairsApi>>;
beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  call = caller<AffairsApi>(cloud, 'affairs');
}, 30_000);
afterAll(() => cloud.close());

let n = 0;
/** Stages the register, opens a vote, casts `choices` (by owner index), and answers the tally. */
async function run(matter: 'ordinary' | 'major', parts: PartSpec[], choices: Record<string, Choice>) {
  const id = `t278-${++n}`;
  const stage = await stageCommunity(id, parts);
  const vote = data(
    await call(stage.worker, 'openVote', {
      title: '表决',
      body: '事项说明',
      matter,
      closesAt: inAWeek(),
      requestId: `req-${id}`,
    }),
  );
  for (const [owner, choice] of Object.entries(choices)) data(await call(owner as Caller, 'cast', { voteId: vote._id, choice }));
  return data(await call(stage.worker, 'tally', { voteId: vote._id }));
}

test('exactly 2/3 of the owners and of the area take part: quorum; ordinary passes with 2 of 2', async () => {
  const t = await run('ordinary', equalParts('q1', 3), { 'q1-1': 'yes', 'q1-2': 'yes' });
  expect(t).toEqual({
    eligible: { owners: 3, area: 30000 },
    participated: { owners: 2, area: 20000 },
    yes: { owners: 2, area: 20000 },
    no: { owners: 0, area: 0 },
    abstain: { owners: 0, area: 0 },
    quorumMet: true,
    passed: true,
  });
});

test('2/3 of the owners but 0.01 m² short of 2/3 of the area: no quorum, nothing passes', async () => {
  const parts: PartSpec[] = [
    { room: '101', area: '100', owner: 'q2-1' },
    { room: '102', area: '99.99', owner: 'q2-2' },
    { room: '103', area: '100.01', owner: 'q2-3' },
  ];
  const t = await run('ordinary', parts, { 'q2-1': 'yes', 'q2-2': 'yes' });
  expect(t.participated).toEqual({ owners: 2, area: 19999 });
  expect(t.eligible).toEqual({ owners: 3, area: 30000 });
  expect([t.quorumMet, t.passed]).toEqual([false, false]);
});

test('major: exactly 3/4 yes of owners and area passes; 3/4 of owners with less area fails', async () => {
  const yes3 = { 'm1-1': 'yes', 'm1-2': 'yes', 'm1-3': 'yes', 'm1-4': 'no' } as const;
  const t = await run('major', equalParts('m1', 4), yes3);
  expect([t.yes, t.participated, t.quorumMet, t.passed]).toEqual([
    { owners: 3, area: 30000 },
    { owners: 4, area: 40000 },
    true,
    true,
  ]);

  const parts: PartSpec[] = [
    { room: '101', area: '100', owner: 'm2-1' },
    { room: '102', area: '100', owner: 'm2-2' },
    { room: '103', area: '99.99', owner: 'm2-3' },
    { room: '104', area: '100.01', owner: 'm2-4' },
  ];
  const u = await run('major', parts, { 'm2-1': 'yes', 'm2-2': 'yes', 'm2-3': 'yes', 'm2-4': 'no' });
  expect(u.yes).toEqual({ owners: 3, area: 29999 });
  expect([u.quorumMet, u.passed]).toEqual([true, false]);
});

test('ordinary: just over half passes; exactly half of the area does not', async () => {
  const over: PartSpec[] = [
    { room: '101', area: '100.01', owner: 'h1-1' },
    { room: '102', area: '99.99', owner: 'h1-2' },
    { room: '103', area: '100', owner: 'h1-3' },
  ];
  const t = await run('ordinary', over, { 'h1-1': 'yes', 'h1-2': 'no' });
  expect([t.yes.area, t.participated.area, t.passed]).toEqual([10001, 20000, false]); // 1 of 2 owners: not more than half
  const u = await run(
    'ordinary',
    over.map((p, i) => ({ ...p, owner: `h2-${i + 1}` })),
    { 'h2-1': 'yes', 'h2-2': 'no', 'h2-3': 'yes' },
  );
  expect([u.yes, u.passed]).toEqual([{ owners: 2, area: 20001 }, true]);
  const half: PartSpec[] = [
    { room: '101', area: '50', owner: 'h3-1' },
    { room: '102', area: '50', owner: 'h3-2' },
    { room: '103', area: '100', owner: 'h3-3' },
  ];
  const v = await run('ordinary', half, { 'h3-1': 'yes', 'h3-2': 'yes', 'h3-3': 'no' });
  // 2 of 3 owners (more than half) but 100 of 200 m²: exactly half of the area is not more than half.
  expect([v.yes, v.participated.area, v.quorumMet, v.passed]).toEqual([{ owners: 2, area: 10000 }, 20000, true, false]);
});

test('one owner with three parts votes once, for the sum of the areas', async () => {
  const parts: PartSpec[] = [
    { room: '101', area: '80.5', owner: 'three-1' },
    { room: '102', area: '60.25', owner: 'three-1' },
    { room: '103', area: '40.25', owner: 'three-1' },
    { room: '104', area: '90', owner: 'three-2' },
    { room: '105', area: '90', owner: 'three-3' },
  ];
  const t = await run('ordinary', parts, { 'three-1': 'yes', 'three-2': 'no' });
  expect(t.eligible).toEqual({ owners: 3, area: 36100 });
  expect(t.yes).toEqual({ owners: 1, area: 18100 });
  expect(t.participated).toEqual({ owners: 2, area: 27100 });
  // 2 of 3 owners, 271 of 361 m² (≥ 2/3): quorum; yes 1 of 2 owners is not more than half.
  expect([t.quorumMet, t.passed]).toEqual([true, false]);
});

test("the developer's unsold parts count as one owner, with all their area", async () => {
  const parts: PartSpec[] = [
    { room: '101', area: '100', owner: 'dev-o1' },
    { room: '102', area: '100', owner: 'dev-o2' },
    { room: '103', area: '100', developer: true },
    { room: '104', area: '100', developer: true },
    { room: '105', area: '100', developer: true },
  ];
  const t = await run('ordinary', parts, { 'dev-o1': 'yes', 'dev-o2': 'yes' });
  // 3 owners (two buyers + the developer), 500 m²: 2 of 3 owners is 2/3, but 200 of 500 m² is not.
  expect(t.eligible).toEqual({ owners: 3, area: 50000 });
  expect([t.quorumMet, t.passed]).toEqual([false, false]);
});
