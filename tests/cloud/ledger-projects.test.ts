// Projects (方案, docs/ledger.md): a budget, the approved entries charged to it (reversals net),
// progress notes with pictures appended once per request id — budget against spent at a glance.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { data, refusal } from '../helpers/call';
import { at, CLOCK } from '../helpers/clock';
import { startTestCloud, uploadAs } from '../helpers/local';
import { addSecondWorker, DEMO_ACCOUNTS, ledgerOf, OTHER_RESIDENT, RESIDENT, WORKER, WORKER2 } from '../helpers/ledger';

let cloud: LocalCloud;
let L: ReturnType<typeof ledgerOf>;

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2031-05-20T10:00:00+08:00');
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  await addSecondWorker();
  L = ledgerOf(cloud);
});
afterAll(async () => {
  await cloud.close();
  jest.useRealTimers();
});

test('budget against spent: approved charges count, pending ones not, a reversal nets', async () => {
  const requestId = L.rid('proj');
  const input = { name: '3栋屋面防水', budgetFen: 200_000, plan: '翻新屋面防水层', basis: '2031年第2次业主表决', requestId };
  const project = data(await L.call(WORKER, 'createProject', input));
  expect(project).toMatchObject({ name: '3栋屋面防水', budgetFen: 200_000, spentFen: 0, percent: 0, progress: [] });
  expect(data(await L.call(WORKER, 'createProject', input))._id).toBe(project._id);
  expect(refusal(await L.call(WORKER, 'createProject', { ...input, budgetFen: 1 })).code).toBe('E_CONFLICT');

  const charge = (amountFen: number, summary: string) =>
    L.booked({ account: DEMO_ACCOUNTS.repair, direction: 'out', amountFen, date: '2031-05-18', summary, project: project._id });
  const first = await charge(80_000, '防水材料');
  await charge(40_000, '人工费');
  data(
    await L.call(WORKER, 'record', {
      account: DEMO_ACCOUNTS.repair,
      direction: 'out',
      amountFen: 999,
      date: '2031-05-19',
      summary: '未复核',
      project: project._id,
      requestId: L.rid(),
    }),
  );
  let seen = data(await L.call(RESIDENT, 'project', { projectId: project._id }));
  expect(seen).toMatchObject({ spentFen: 120_000, percent: 60 });
  expect(seen.items.map((i) => i.summary).sort()).toEqual(['人工费', '防水材料']);

  const reversal = data(await L.call(WORKER, 'reverse', { entryId: first._id, reason: '材料退货', requestId: L.rid() }));
  expect(reversal.project).toBe(project._id);
  data(await L.call(WORKER2, 'approve', { entryId: reversal._id }));
  seen = data(await L.call(RESIDENT, 'project', { projectId: project._id }));
  expect(seen).toMatchObject({ spentFen: 40_000, percent: 20 });

  const list = data(await L.call(RESIDENT, 'projects', {}));
  expect(list.items.find((p) => p._id === project._id)).toMatchObject({ budgetFen: 200_000, spentFen: 40_000 });
  expect(data(await L.call(OTHER_RESIDENT, 'projects', {})).items).toEqual([]);
  expect(refusal(await L.call(OTHER_RESIDENT, 'project', { projectId: project._id })).code).toBe('E_NOT_FOUND');
});

test('progress notes with pictures are appended once per request id; residents read them', async () => {
  const project = data(await L.call(WORKER, 'createProject', { name: '楼道照明改造', budgetFen: 50_000, requestId: L.rid() }));
  const picture = await uploadAs(cloud, WORKER, 'ledger');
  const requestId = L.rid('note');
  const note = { projectId: project._id, note: '已完成 1–3 层灯具更换', pictures: [picture], requestId };
  const once = data(await L.call(WORKER, 'progress', note));
  const twice = data(await L.call(WORKER, 'progress', note));
  expect(once.progress).toHaveLength(1);
  expect(twice.progress).toHaveLength(1);
  expect(refusal(await L.call(WORKER, 'progress', { ...note, note: '别的说明' })).code).toBe('E_CONFLICT');
  data(await L.call(WORKER2, 'progress', { projectId: project._id, note: '4–6 层完成', requestId: L.rid() }));
  const seen = data(await L.call(RESIDENT, 'project', { projectId: project._id }));
  expect(seen.progress.map((p) => [p.note, p.byName, p.pictures.length])).toEqual([
    ['已完成 1–3 层灯具更换', '李梅', 1],
    ['4–6 层完成', '陈志强', 0],
  ]);
  expect(refusal(await L.call(RESIDENT, 'progress', { projectId: project._id, note: '我来写', requestId: L.rid() })).code).toBe(
    'E_FORBIDDEN',
  );
});

test('an entry cannot be charged to another community’s project or a missing one', async () => {
  const res = await L.call(WORKER, 'record', {
    account: DEMO_ACCOUNTS.repair,
    direction: 'out',
    amountFen: 1,
    date: '2031-05-19',
    summary: '支出',
    project: 'lp_missing',
    requestId: L.rid(),
  });
  expect(refusal(res)).toEqual({ code: 'E_NOT_FOUND', message: '项目不存在，请刷新后重新选择' });
});
