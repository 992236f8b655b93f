// Every query of 评星定级 is served by an index (database.json; the local cloud's planner reports
// each read's plan): a scenario calls every property action and the orders it adds (the staff's
// hall, the board's 物业 filter), and no read of any collection is a scan.
import type { DataCallRecord, LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { data, type Input } from '../helpers/call';
import { at, CLOCK } from '../helpers/clock';
import { startTestCloud } from '../helpers/local';
import { all, propertyOf, RESIDENT, STAFF, WORKER } from '../helpers/property';
import type { OrdersApi } from '../../cloudfunctions/orders/api';
import type { PropertyApi } from '../../cloudfunctions/property/api';

let cloud: LocalCloud;
let T: ReturnType<typeof propertyOf>;
const calls: DataCallRecord[] = [];
const walked: Record<string, string[]> = {};

beforeAll(async () => {
  jest.useFakeTimers(CLOCK);
  at('2031-05-10T10:00:00+08:00');
  cloud = await startTestCloud({ observe: { dataCall: (r) => calls.push(r) } });
  await seedIfEmpty(cloud);
  T = propertyOf(cloud);
});
afterAll(async () => {
  await cloud.close();
  jest.useRealTimers();
});

function check(action: string, prefix: string) {
  const reads = calls.filter((c) => c.read);
  expect({ action, scans: reads.filter((c) => c.read!.plan === 'scan').map((c) => c.collection) }).toEqual({ action, scans: [] });
  const names = reads.filter((c) => c.collection?.startsWith(prefix)).flatMap((c) => c.read!.indexes ?? []);
  walked[action] = [...new Set([...(walked[action] ?? []), ...names])];
}

async function p<A extends keyof PropertyApi & string>(who: string, action: A, payload: Input<PropertyApi, A>) {
  calls.length = 0;
  const out = data(await T.P(who, action, payload));
  check(action, 'property_');
  return out;
}

async function o<A extends keyof OrdersApi & string>(who: string, action: A, payload: Input<OrdersApi, A>) {
  calls.length = 0;
  const out = data(await T.O(who, action, payload));
  check(`orders.${action}`, 'orders');
  return out;
}

test('no read of any property action, nor of the orders it adds, is a scan', async () => {
  await T.served(RESIDENT, 'demo:property-complaint');
  await o(STAFF, 'listHall', {});
  await o('demo-volunteer-1', 'listHall', {});
  await o(WORKER, 'listAll', { servedBy: 'property' });
  await o(WORKER, 'listAll', { servedBy: 'volunteer' });
  await p(WORKER, 'saveCompany', { name: '幸福物业服务有限公司', manager: '陈经理', dutyPhone: '0755-86001234' });
  await p(RESIDENT, 'company', {});
  await p(RESIDENT, 'rate', { scores: all(1) });
  await p(RESIDENT, 'myRating', {});
  await p(WORKER, 'preview', { month: '2031-05' });
  at('2031-06-01T10:00:00+08:00');
  const g = await p(WORKER, 'publish', { month: '2031-05' });
  await p(RESIDENT, 'grade', {});
  await p(RESIDENT, 'grade', { month: '2031-05' });
  await p(RESIDENT, 'credit', {});
  await p(WORKER, 'warnings', {});
  await p(WORKER, 'recordTalk', {
    warningId: g.warningId!,
    talkDate: '2031-06-02',
    attendees: '李梅',
    summary: '约谈',
    outcome: 'rectify',
  });
  expect(walked.preview).toContain('community_month');
  expect(walked.credit).toContain('community_month');
  expect(walked.warnings).toContain('community_month');
});
