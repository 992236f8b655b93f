// Existence (docs/conventions.md): for every action that takes an id, something the caller may
// not see — another community's, another resident's — answers exactly as a missing id does: the
// same code (E_NOT_FOUND, or E_NOT_MEMBER for a community) and the same message.
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { DEMO_NOTICES } from '../../local/seed/notices';
import { DEMO_BOOKING_ID, DEMO_SPOTS } from '../../local/seed/parking';
import { collection } from '../../cloudfunctions/common/db';
import type { ErrorBody } from '../../cloudfunctions/common/envelope';
import { startTestCloud } from '../helpers/local';
import { forgetLimits } from '../helpers/limits';
import { refusal, type Apis } from '../helpers/call';

const MISSING = 'no-such-thing-0001';

let cloud: LocalCloud;
/** Ids made in beforeAll: an order of resident-4, one dispatched to volunteer-1, a worker's message. */
const ids = {
  pending: '',
  dispatched: '',
  message: '',
  vote: '',
  consult: '',
  part: '',
  topic: '',
  otherTopic: '',
  entry: '',
  pendingEntry: '',
  question: '',
  project: '',
  warning: '',
  /** 亲情代办: a relative's active link to demo-resident-4 (another relative's to see). */
  link: '',
};
/** A relative bound to demo-resident-5: resident-4's orders and links are not theirs. */
const RELATIVE = 'exist-relative';

async function must(fn: keyof Apis, action: string, payload: object, openid: string): Promise<{ _id: string }> {
  const res = await cloud.invoke(fn, { action, payload }, openid);
  if (!res.ok) throw new Error(`${fn}.${action}: ${res.error.code} ${res.error.message}`);
  return res.data as { _id: string };
}

beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
  const order = (requestId: string) =>
    must('orders', 'create', { serviceId: 'demo:errand', description: '代买药', requestId }, 'demo-resident-4');
  ids.pending = (await order('exist-pending-01'))._id;
  ids.dispatched = (await order('exist-dispatch-01'))._id;
  await must('orders', 'dispatch', { orderId: ids.dispatched, volunteerOpenid: 'demo-volunteer-1' }, 'demo-worker');
  const [note] = (await collection('messages').where({ openid: 'demo-worker' }).limit(1).get()).data as { _id: string }[];
  ids.message = note._id;
  const week = new Date(Date.now() + 7 * 86400_000).toISOString();
  ids.vote = (
    await must(
      'affairs',
      'openVote',
      { title: '表决', body: '说明', matter: 'ordinary', closesAt: week, requestId: 'exist-vote-01' },
      'demo-worker',
    )
  )._id;
  ids.consult = (
    await must(
      'affairs',
      'createConsult',
      { title: '征询', body: '说明', options: ['好', '不好'], closesAt: week, requestId: 'exist-consult-01' },
      'demo-worker',
    )
  )._id;
  ids.part = ((await must('affairs', 'myParts', {}, 'demo-resident-4')) as unknown as { items: { _id: string }[] }).items[0]._id;
  const topic = { title: '东门加装充电桩', body: '楼道充电不安全', requestId: 'exist-topic-01' };
  ids.topic = (await must('affairs', 'propose', topic, 'demo-resident-4'))._id;
  ids.otherTopic = (await must('affairs', 'propose', topic, 'other-resident'))._id;
  // Ledger: an approved entry (a second worker approves), a pending one, a question.
  await collection('members')
    .where({ _id: 'demo:demo-volunteer-3' })
    .update({ roles: ['resident', 'volunteer', 'worker'] });
  const record = (requestId: string) =>
    must(
      'ledger',
      'record',
      { account: 'demo:public', direction: 'in', amountFen: 100, date: '2026-01-05', summary: '车位租金', requestId },
      'demo-worker',
    );
  ids.entry = (await record('exist-entry-01'))._id;
  await must('ledger', 'approve', { entryId: ids.entry }, 'demo-volunteer-3');
  ids.pendingEntry = (await record('exist-entry-02'))._id;
  ids.question = (await must('ledger', 'ask', { entryId: ids.entry, question: '哪个车位？' }, 'demo-resident-2'))._id;
  const bind = async (relative: string, elder: string) => {
    const { code } = (await must('member', 'familyCode', {}, elder)) as unknown as { code: string };
    const link = await must('member', 'familyRequest', { familyCode: code, name: '亲属', relation: '女儿' }, relative);
    await must('member', 'familyAnswer', { linkId: link._id, confirm: true }, elder);
    return link._id;
  };
  ids.link = await bind('exist-relative-4', 'demo-resident-4');
  await bind(RELATIVE, 'demo-resident-5');
  await must('ledger', 'accounts', {}, 'other-worker'); // its own accounts exist: a project is what is looked up
  ids.project = (
    await must('ledger', 'createProject', { name: '加装电梯', budgetFen: 100_000, requestId: 'exist-project-01' }, 'demo-worker')
  )._id;
  // A warning of the demo community's property company (published red months record one).
  ids.warning = 'pw_exist_demo';
  await collection('property_warnings').add({
    _id: ids.warning,
    communityId: 'demo',
    month: '2026-01',
    stars: 2,
    complaintRate: 0.5,
    reasons: ['投诉率 50%'],
    status: 'open',
    talks: [],
    createdAt: new Date(),
    updatedAt: new Date(),
    version: 1,
  });
});
afterAll(() => cloud.close());
beforeEach(forgetLimits);

interface Row {
  fn: keyof Apis;
  action: string;
  caller: string;
  /** The payload with the id in question. */
  payload: (id: string) => object;
  /** What the caller may not see. */
  invisible: () => string;
  why: string;
}

const orderRow = (action: string, caller: string, invisible: () => string, why: string, extra: object = {}): Row => ({
  fn: 'orders',
  action,
  caller,
  payload: (orderId) => ({ orderId, ...extra }),
  invisible,
  why,
});

const ROWS: Row[] = [
  // orders: another resident's order, an order dispatched to another volunteer, another community's
  orderRow('get', 'demo-resident-5', () => ids.pending, "another resident's order"),
  orderRow('rate', 'demo-resident-5', () => ids.pending, "another resident's order", { stars: 5 }),
  orderRow('cancel', 'demo-resident-5', () => ids.pending, "another resident's order", { reason: '不需要了' }),
  orderRow('cancel', 'other-resident', () => ids.pending, "another community's order", { reason: '不需要了' }),
  orderRow('accept', 'demo-volunteer-2', () => ids.dispatched, 'dispatched to another volunteer'),
  orderRow('decline', 'demo-volunteer-2', () => ids.dispatched, 'dispatched to another volunteer', { reason: '没空' }),
  orderRow('start', 'demo-volunteer-2', () => ids.dispatched, 'dispatched to another volunteer'),
  orderRow('complete', 'demo-volunteer-2', () => ids.dispatched, 'dispatched to another volunteer', { note: '完成' }),
  orderRow('suggestVolunteers', 'other-worker', () => ids.pending, "another community's order"),
  orderRow('dispatch', 'other-worker', () => ids.pending, "another community's order", { volunteerOpenid: 'other-worker' }),
  orderRow('release', 'other-worker', () => ids.pending, "another community's order"),
  orderRow('review', 'other-worker', () => ids.pending, "another community's order", { result: 'pass' }),
  orderRow('followUp', 'other-worker', () => ids.pending, "another community's order", { result: 'satisfied' }),
  // 亲情代办: a relative bound to resident-5 asks for resident-4's order and link
  orderRow('familyGet', RELATIVE, () => ids.pending, "another elder's order"),
  orderRow('familyRate', RELATIVE, () => ids.pending, "another elder's order", { stars: 5 }),
  orderRow('familyCancel', RELATIVE, () => ids.pending, "another elder's order", { reason: '不需要了' }),
  ...(
    [
      ['familyOrders', {}],
      ['familyMenu', {}],
      ['familyCreate', { serviceId: 'demo:errand', description: '代买药', requestId: 'exist-family-01' }],
    ] as const
  ).map(([action, extra]): Row => ({
    fn: 'orders',
    action,
    caller: RELATIVE,
    payload: (linkId) => ({ linkId, ...extra }),
    invisible: () => ids.link,
    why: "another relative's link",
  })),
  ...(
    [
      ['familyAnswer', { confirm: false }],
      ['familyEnd', {}],
    ] as const
  ).map(([action, extra]): Row => ({
    fn: 'member',
    action,
    caller: 'demo-resident-5',
    payload: (linkId) => ({ linkId, ...extra }),
    invisible: () => ids.link,
    why: "another elder's link",
  })),
  {
    fn: 'member',
    action: 'familyCode',
    caller: 'other-worker',
    payload: (elderOpenid) => ({ elderOpenid }),
    invisible: () => 'demo-resident-4',
    why: "another community's member",
  },
  {
    fn: 'orders',
    action: 'menu',
    caller: 'demo-resident-5',
    payload: (forOpenid) => ({ forOpenid }),
    invisible: () => 'demo-resident-4',
    why: 'a member of another household',
  },
  {
    fn: 'orders',
    action: 'create',
    caller: 'demo-resident-5',
    payload: (forOpenid) => ({ serviceId: 'demo:errand', description: '代买', requestId: `exist-${forOpenid}`, forOpenid }),
    invisible: () => 'demo-resident-4',
    why: 'a member of another household',
  },
  {
    fn: 'orders',
    action: 'dispatch',
    caller: 'demo-worker',
    payload: (volunteerOpenid) => ({ orderId: ids.pending, volunteerOpenid }),
    invisible: () => 'other-worker',
    why: "another community's person",
  },
  {
    fn: 'orders',
    action: 'volunteerRecord',
    caller: 'other-resident',
    payload: (openid) => ({ openid }),
    invisible: () => 'demo-volunteer-1',
    why: "another community's volunteer",
  },
  // parking: a spot not yet verified (resident-5's), another community's spot, a booking of others
  ...(['spotSchedule', 'spotBookings', 'publishWindow', 'removeWindow', 'book'] as const).map((action): Row => ({
    fn: 'parking',
    action,
    caller: 'demo-resident-1',
    payload: (spotId) =>
      ({
        spotSchedule: { spotId, date: '2030-01-07' },
        spotBookings: { spotId },
        publishWindow: { spotId, weekdays: [1], from: '08:00', to: '10:00' },
        removeWindow: { spotId, windowId: 'w1' },
        book: {
          spotId,
          start: '2030-01-07T08:00:00+08:00',
          end: '2030-01-07T09:00:00+08:00',
          plate: '粤B12345',
          requestId: `exist-${spotId}`.slice(0, 60).replace(/:/g, '-'),
        },
      })[action],
    invisible: () => DEMO_SPOTS.pending,
    why: "another resident's spot not yet verified",
  })),
  {
    fn: 'parking',
    action: 'spotSchedule',
    caller: 'demo-resident-1',
    payload: (spotId) => ({ spotId, date: '2030-01-07' }),
    invisible: () => DEMO_SPOTS.other,
    why: "another community's spot",
  },
  ...(['verifySpot', 'rejectSpot'] as const).map((action): Row => ({
    fn: 'parking',
    action,
    caller: 'other-worker',
    payload: (spotId) => (action === 'verifySpot' ? { spotId } : { spotId, reason: '材料不全' }),
    invisible: () => DEMO_SPOTS.pending,
    why: "another community's spot",
  })),
  ...(['cancelBooking', 'checkIn', 'checkOut'] as const).map((action): Row => ({
    fn: 'parking',
    action,
    caller: 'demo-resident-1',
    payload: (bookingId) => ({ bookingId }),
    invisible: () => DEMO_BOOKING_ID,
    why: "other residents' booking",
  })),
  // notices: for other buildings, a draft, another community's
  {
    fn: 'notices',
    action: 'get',
    caller: 'demo-resident-5',
    payload: (noticeId) => ({ noticeId }),
    invisible: () => DEMO_NOTICES.water,
    why: 'a notice for other buildings',
  },
  {
    fn: 'notices',
    action: 'get',
    caller: 'demo-resident-5',
    payload: (noticeId) => ({ noticeId }),
    invisible: () => DEMO_NOTICES.draft,
    why: 'a draft',
  },
  ...(['get', 'update', 'withdraw', 'stats', 'remind'] as const).map((action): Row => ({
    fn: 'notices',
    action,
    caller: 'other-worker',
    payload: (noticeId) => (action === 'update' ? { noticeId, title: '标题', body: '正文', category: '通知' } : { noticeId }),
    invisible: () => DEMO_NOTICES.activity,
    why: "another community's notice",
  })),
  // affairs: another community's topic
  ...(['second', 'getTopic', 'listComments', 'comment'] as const).map((action): Row => ({
    fn: 'affairs',
    action,
    caller: 'other-resident',
    payload: (topicId) => (action === 'comment' ? { topicId, text: '赞成', requestId: 'exist-comment-01' } : { topicId }),
    invisible: () => ids.topic,
    why: "another community's topic",
  })),
  ...(
    [
      ['acceptTopic', {}],
      ['scheduleMeeting', { at: '2030-01-07T19:00:00+08:00', place: '党群服务中心', invited: '楼组长' }],
      ['postMinutes', { minutes: '一致同意' }],
      ['decideTopic', { decision: '加装充电桩' }],
      ['declineTopic', { reason: '不属于社区事务' }],
      ['reportProgress', { note: '已进场' }],
      ['finishTopic', { note: '已完工' }],
    ] as const
  ).map(([action, extra]): Row => ({
    fn: 'affairs',
    action,
    caller: 'other-worker',
    payload: (topicId) => ({ topicId, ...extra }),
    invisible: () => ids.topic,
    why: "another community's topic",
  })),
  {
    fn: 'affairs',
    action: 'openVote',
    caller: 'demo-worker',
    payload: (topicId) => ({
      title: '表决',
      body: '说明',
      matter: 'ordinary',
      closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
      requestId: `exist-vote-topic-${topicId}`.slice(0, 60).replace(/:/g, '-'),
      topicId,
    }),
    invisible: () => ids.otherTopic,
    why: "a vote on another community's topic",
  },
  // messages: another person's
  {
    fn: 'messages',
    action: 'markRead',
    caller: 'demo-resident-5',
    payload: (messageId) => ({ messageId }),
    invisible: () => ids.message,
    why: "another person's message",
  },
  // member: another community's member, a community one is not in
  ...(['approve', 'reject', 'setRoles', 'setTags', 'verifyHousehold', 'remove'] as const).map((action): Row => ({
    fn: 'member',
    action,
    caller: 'other-worker',
    payload: (openid) => ({
      openid,
      ...(action === 'setRoles' ? { roles: ['resident'] } : action === 'setTags' ? { tags: [] } : {}),
    }),
    invisible: () => 'demo-resident-4',
    why: "another community's member",
  })),
  {
    fn: 'member',
    action: 'switchCommunity',
    caller: 'demo-resident-5',
    payload: (communityId) => ({ communityId }),
    invisible: () => 'heping',
    why: 'a community the caller is not in',
  },
  {
    fn: 'member',
    action: 'setElderMode',
    caller: 'other-worker',
    payload: (openid) => ({ openid, mode: 'on' }),
    invisible: () => 'demo-resident-4',
    why: "another community's member",
  },
  {
    fn: 'member',
    action: 'setElderMode',
    caller: 'demo-resident-5',
    payload: (openid) => ({ openid, mode: 'on' }),
    invisible: () => 'demo-resident-4',
    why: 'a member of another household',
  },
  {
    fn: 'member',
    action: 'confirmHousehold',
    caller: 'demo-resident-5',
    payload: (openid) => ({ openid, confirm: true }),
    invisible: () => 'demo-resident-4',
    why: 'a member who did not claim the caller’s room',
  },
  // affairs: another community's vote, consultation and part of the register
  ...(
    [
      ['getVote', {}],
      ['cast', { choice: 'yes' }],
      [
        'castProxy',
        { partId: MISSING, choice: 'yes', authorization: 'cloud://x.y/uploads/0000000000000000/affairs/aaaaaaaa.png' },
      ],
      ['tally', {}],
      ['closeVote', {}],
      ['extendVote', { closesAt: '2099-01-07T10:00:00+08:00' }],
      ['voteResult', {}],
    ] as const
  ).map(([action, extra]): Row => ({
    fn: 'affairs',
    action,
    caller: action === 'cast' || action === 'castProxy' ? 'other-resident' : 'other-worker',
    payload: (voteId) => ({ voteId, ...extra }),
    invisible: () => ids.vote,
    why: "another community's vote",
  })),
  ...(['getConsult', 'answerConsult', 'closeConsult'] as const).map((action): Row => ({
    fn: 'affairs',
    action,
    caller: action === 'closeConsult' ? 'other-worker' : 'other-resident',
    payload: (consultId) => (action === 'answerConsult' ? { consultId, option: 0 } : { consultId }),
    invisible: () => ids.consult,
    why: "another community's consultation",
  })),
  ...(['verifyOwner', 'removeOwner'] as const).map((action): Row => ({
    fn: 'affairs',
    action,
    caller: 'other-worker',
    payload: (partId) => ({ partId, openid: 'other-resident' }),
    invisible: () => ids.part,
    why: "another community's part",
  })),
  // ledger: another community's entries, questions and accounts; a pending entry for a resident
  ...(['entry', 'approve', 'reject', 'reverse', 'ask', 'questions'] as const).map((action): Row => ({
    fn: 'ledger',
    action,
    caller: action === 'ask' || action === 'questions' || action === 'entry' ? 'other-resident' : 'other-worker',
    payload: (entryId) =>
      action === 'reject'
        ? { entryId, reason: '不对' }
        : action === 'reverse'
          ? { entryId, reason: '不对', requestId: 'exist-reverse-01' }
          : action === 'ask'
            ? { entryId, question: '为什么？' }
            : { entryId },
    invisible: () => ids.entry,
    why: "another community's entry",
  })),
  ...(['entry', 'ask', 'questions'] as const).map((action): Row => ({
    fn: 'ledger',
    action,
    caller: 'demo-resident-5',
    payload: (entryId) => (action === 'ask' ? { entryId, question: '为什么？' } : { entryId }),
    invisible: () => ids.pendingEntry,
    why: 'an entry not yet approved',
  })),
  ...(['project', 'progress', 'record'] as const).map((action): Row => ({
    fn: 'ledger',
    action,
    caller: action === 'project' ? 'other-resident' : 'other-worker',
    payload: (projectId) =>
      action === 'project'
        ? { projectId }
        : action === 'progress'
          ? { projectId, note: '进度', requestId: 'exist-progress-01' }
          : {
              account: 'heping:public',
              direction: 'out',
              amountFen: 1,
              date: '2026-01-05',
              summary: '支出',
              project: projectId,
              requestId: 'exist-record-02',
            },
    invisible: () => ids.project,
    why: "another community's project",
  })),
  {
    fn: 'ledger',
    action: 'answer',
    caller: 'other-worker',
    payload: (questionId) => ({ questionId, answer: '答复' }),
    invisible: () => ids.question,
    why: "another community's question",
  },
  ...(['statement', 'quarter'] as const).map((action): Row => ({
    fn: 'ledger',
    action,
    caller: 'other-resident',
    payload: (account) => (action === 'statement' ? { month: '2026-01', account } : { quarter: '2026-Q1', account }),
    invisible: () => 'demo:public',
    why: "another community's account",
  })),
  {
    fn: 'ledger',
    action: 'record',
    caller: 'other-worker',
    payload: (account) => ({
      account,
      direction: 'in',
      amountFen: 1,
      date: '2026-01-05',
      summary: '收入',
      requestId: 'exist-record-01',
    }),
    invisible: () => 'demo:public',
    why: "another community's account",
  },
  {
    fn: 'ledger',
    action: 'editAccount',
    caller: 'other-worker',
    payload: (accountId) => ({ accountId, disabled: true }),
    invisible: () => 'demo:public',
    why: "another community's account",
  },
  // property: another community's warning
  {
    fn: 'property',
    action: 'recordTalk',
    caller: 'other-worker',
    payload: (warningId) => ({ warningId, talkDate: '2026-02-01', attendees: '何平', summary: '约谈', outcome: 'rectify' }),
    invisible: () => ids.warning,
    why: "another community's warning",
  },
];

describe.each(ROWS.map((r) => [`${r.fn}.${r.action} as ${r.caller}: ${r.why}`, r] as const))('%s', (_name, row) => {
  it('answers exactly as a missing id', async () => {
    const ask = async (id: string): Promise<ErrorBody> =>
      refusal(await cloud.invoke(row.fn, { action: row.action, payload: row.payload(id) }, row.caller));
    const missing = await ask(MISSING);
    const invisible = await ask(row.invisible());
    expect(invisible).toEqual(missing);
    expect(['E_NOT_FOUND', 'E_NOT_MEMBER']).toContain(missing.code);
  });
});

// 批量审核 never refuses the batch for one member: each openid gets an outcome, and another
// community's member gets exactly the outcome of a missing openid.
const BATCH = ['approveMany', 'rejectMany'] as const;
describe.each(BATCH)('member.%s as other-worker: demo-resident-4', (action) => {
  it('answers exactly as a missing openid', async () => {
    const ask = async (openid: string) => {
      const res = await cloud.invoke('member', { action, payload: { openids: [openid] } }, 'other-worker');
      if (!res.ok) throw new Error(res.error.message);
      const { items, ...counts } = res.data as { items: { openid: string }[] };
      return { items: items.map(({ openid: _o, ...rest }) => rest), counts };
    };
    const missing = await ask(MISSING);
    expect(await ask('demo-resident-4')).toEqual(missing);
    expect(missing.items).toEqual([{ outcome: 'notFound' }]);
  });
});

it('covers every action of orders, parking, notices, messages, affairs and ledger that takes an id', () => {
  const covered = new Set([...ROWS.map((r) => `${r.fn}.${r.action}`), ...BATCH.map((a) => `member.${a}`)]);
  const { ordersSchemas } = require('../../cloudfunctions/orders/api') as typeof import('../../cloudfunctions/orders/api');
  const { parkingSchemas } = require('../../cloudfunctions/parking/api') as typeof import('../../cloudfunctions/parking/api');
  const { noticeSchemas } = require('../../cloudfunctions/notices/api') as typeof import('../../cloudfunctions/notices/api');
  const { memberSchemas } = require('../../cloudfunctions/member/api') as typeof import('../../cloudfunctions/member/api');
  const { affairsSchemas } = require('../../cloudfunctions/affairs/api') as typeof import('../../cloudfunctions/affairs/api');
  const { ledgerSchemas } = require('../../cloudfunctions/ledger/api') as typeof import('../../cloudfunctions/ledger/api');
  const { propertySchemas } = require('../../cloudfunctions/property/api') as typeof import('../../cloudfunctions/property/api');
  const idFields =
    /^(openids|orderId|spotId|bookingId|noticeId|messageId|openid|forOpenid|volunteerOpenid|communityId|voteId|partId|consultId|topicId|entryId|questionId|account|accountId|projectId|warningId|linkId)$/;
  const withIds: string[] = [];
  for (const [fn, schemas] of Object.entries({
    orders: ordersSchemas,
    parking: parkingSchemas,
    notices: noticeSchemas,
    member: memberSchemas,
    affairs: affairsSchemas,
    ledger: ledgerSchemas,
    property: propertySchemas,
  })) {
    for (const [action, schema] of Object.entries(schemas)) {
      const shape = (schema as { shape?: Record<string, unknown> }).shape ?? {};
      if (Object.keys(shape).some((k) => idFields.test(k))) withIds.push(`${fn}.${action}`);
    }
  }
  withIds.push('messages.markRead');
  expect(withIds.filter((a) => !covered.has(a))).toEqual([]);
});
