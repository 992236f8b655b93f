// Every string a payload can carry has a kind (common/schema.ts): person-written text is content
// checked by the router before any handler runs, pictures by their handler, picked names are
// matched, the rest is closed by a pattern. This walks every action schema of every function and
// proves each text and picture field is checked, through the real functions, and that the text
// hygiene (no control or direction characters, one-line names, no invisible-only text, real dates)
// holds for every field.
import fs from 'fs';
import path from 'path';
import type { z } from 'zod';
import type { LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import { fieldSites, isPatternString, type FieldSite } from '../../cloudfunctions/common/fields';
import { fieldLabel } from '../../cloudfunctions/common/validation';
import { affairsSchemas } from '../../cloudfunctions/affairs/api';
import { deskSchemas } from '../../cloudfunctions/desk/api';
import { memberSchemas } from '../../cloudfunctions/member/api';
import { messageSchemas } from '../../cloudfunctions/messages/api';
import { noticeSchemas } from '../../cloudfunctions/notices/api';
import { ordersSchemas } from '../../cloudfunctions/orders/api';
import { parkingSchemas } from '../../cloudfunctions/parking/api';
import { ledgerSchemas } from '../../cloudfunctions/ledger/api';
import { propertySchemas } from '../../cloudfunctions/property/api';
import { statsSchemas } from '../../cloudfunctions/stats/api';
import { streetSchemas } from '../../cloudfunctions/street/api';
import type { UploadKind } from '../../cloudfunctions/common/files';
import { fixturePicture, startTestCloud, uploadAs } from '../helpers/local';
import { invokeAs, invokeData, refusal, type Apis } from '../helpers/call';
import { snapshot } from '../helpers/snapshot';
import { CLOCK } from '../helpers/clock';
import { requestIdOf, topicIn } from '../helpers/topics';

const SCHEMAS: Record<keyof Apis, Record<string, z.ZodType>> = {
  affairs: affairsSchemas,
  desk: deskSchemas,
  member: memberSchemas,
  messages: messageSchemas,
  notices: noticeSchemas,
  orders: ordersSchemas,
  parking: parkingSchemas,
  ledger: ledgerSchemas,
  property: propertySchemas,
  stats: statsSchemas,
  street: streetSchemas,
};

interface Site extends FieldSite {
  fn: keyof Apis;
  action: string;
}

const SITES: Site[] = Object.entries(SCHEMAS).flatMap(([fn, schemas]) =>
  Object.entries(schemas).flatMap(([action, schema]) =>
    fieldSites(schema).map((site) => ({ ...site, fn: fn as keyof Apis, action })),
  ),
);
const name = (s: Site) => `${s.fn}.${s.action}.${s.path.join('.')}`;
const ofKind = (kind: string) => SITES.filter((s) => s.mark?.kind === kind);

test('every string field of every action has a kind, or is closed by a pattern', () => {
  const loose = SITES.filter((s) => !s.mark && !isPatternString(s.schema)).map(name);
  expect(loose).toEqual([]);
  // The walk sees the fields it must: a sanity check that it reaches into arrays and wrappers.
  expect(ofKind('text').map(name)).toEqual(
    expect.arrayContaining(['orders.create.description', 'orders.saveService.skills', 'parking.registerSpot.code']),
  );
  expect(ofKind('picture').map(name)).toEqual(expect.arrayContaining(['orders.complete.photos', 'notices.update.images']));
});

test('docs/content.md lists exactly the text, choice and picture fields', () => {
  const doc = fs.readFileSync(path.join(__dirname, '../../docs/content.md'), 'utf8');
  const listed = [...doc.matchAll(/^\| `(\w+\.\w+)`\s*\| `([\w.]+)`\s*\| (\w+)/gm)].map((m) => `${m[1]}.${m[2]} ${m[3]}`);
  const marked = SITES.filter((s) => s.mark && s.mark.kind !== 'closed').map((s) => `${name(s)} ${s.mark!.kind}`);
  expect(listed.sort()).toEqual(marked.sort());
});

// ----------------------------------------------------------------------------- the walk, live

let cloud: LocalCloud;
beforeAll(async () => {
  cloud = await startTestCloud();
  await seedIfEmpty(cloud);
});
afterAll(() => cloud.close());

const WORKER = 'demo-worker';
const VOLUNTEER = 'demo-volunteer-1';
const RESIDENT = 'demo-resident-2';
const STRANGER = 'fields-walk-stranger';
const REFUSED_WORD = '赌博';

/**
 * A payload each text-bearing action accepts at its schema, and who may call it. The router checks
 * texts before the handler, so the ids need not exist: nothing past the check can run.
 */
const SAMPLES: Record<string, { as: string; payload: Record<string, unknown> }> = {
  'member.join': { as: STRANGER, payload: { inviteCode: 'ABCDEFGH', name: '王芳', building: '1栋', room: '101' } },
  'member.reject': { as: WORKER, payload: { openid: 'someone', reason: '房号对不上' } },
  'member.rejectMany': { as: WORKER, payload: { openids: ['someone'], reason: '房号对不上' } },
  'member.setTags': { as: WORKER, payload: { openid: 'someone', tags: ['高龄'], note: '查看身份证' } },
  'member.remove': { as: WORKER, payload: { openid: 'someone', reason: '已搬走' } },
  'member.verifyHousehold': { as: WORKER, payload: { openid: 'someone', note: '查看房产证' } },
  'orders.create': {
    as: RESIDENT,
    payload: {
      serviceId: 'demo:repair',
      description: '水管漏水',
      requestId: 'fields-walk-1',
      // Never reached: the router's text check refuses first.
      voice: { fileId: 'cloud://local.bucket/uploads/0000000000000000/voice/fieldswalk.mp3', seconds: 5 },
    },
  },
  'orders.decline': { as: VOLUNTEER, payload: { orderId: 'o_missing', reason: '今天不在家' } },
  'orders.complete': { as: VOLUNTEER, payload: { orderId: 'o_missing', note: '已修好' } },
  'orders.rate': { as: RESIDENT, payload: { orderId: 'o_missing', stars: 5, comment: '很好' } },
  'orders.review': { as: WORKER, payload: { orderId: 'o_missing', result: 'pass', note: '合格' } },
  'orders.followUp': { as: WORKER, payload: { orderId: 'o_missing', result: 'satisfied', note: '满意' } },
  'orders.cancel': { as: RESIDENT, payload: { orderId: 'o_missing', reason: '不需要了' } },
  'member.familyRequest': { as: STRANGER, payload: { familyCode: 'ABCD2345', name: '李娜', relation: '女儿' } },
  'orders.familyCreate': {
    as: STRANGER,
    payload: { linkId: 'fl_missing', serviceId: 'demo:errand', description: '帮妈妈买药', requestId: 'fields-walk-family-1' },
  },
  'orders.familyCancel': { as: STRANGER, payload: { orderId: 'o_missing', reason: '不需要了' } },
  'orders.familyRate': { as: STRANGER, payload: { orderId: 'o_missing', stars: 5, comment: '很好' } },
  'orders.saveService': {
    as: WORKER,
    payload: { serviceName: '理发', tier: 'basic', description: '上门理发', price: 0, skills: ['理发'], enabled: true },
  },
  'parking.registerSpot': { as: RESIDENT, payload: { code: 'B2-101', location: '地下二层' } },
  'parking.rejectSpot': { as: WORKER, payload: { spotId: 's_missing', reason: '照片看不清' } },
  'parking.cancelBooking': { as: RESIDENT, payload: { bookingId: 'b_missing', reason: '临时有事' } },
  'notices.post': { as: WORKER, payload: { title: '停水通知', body: '周六停水', category: '通知' } },
  'notices.update': { as: WORKER, payload: { noticeId: 'n_missing', title: '停水通知', body: '周六停水', category: '通知' } },
  'notices.withdraw': { as: WORKER, payload: { noticeId: 'n_missing', reason: '时间改了' } },
  'affairs.openVote': {
    as: WORKER,
    payload: {
      title: '更换电梯',
      body: '使用维修资金更换 1 栋电梯',
      matter: 'major',
      closesAt: '2099-01-07T10:00:00+08:00',
      requestId: 'fields-walk-vote',
    },
  },
  'affairs.createConsult': {
    as: WORKER,
    payload: {
      title: '充电桩',
      body: '是否加装充电桩',
      options: ['赞成', '不赞成'],
      closesAt: '2099-01-07T10:00:00+08:00',
      requestId: 'fields-walk-consult',
    },
  },
  'affairs.propose': { as: RESIDENT, payload: { title: '加装充电桩', body: '楼道充电不安全', requestId: 'fields-walk-topic' } },
  'affairs.comment': { as: RESIDENT, payload: { topicId: 't_missing', text: '赞成', requestId: 'fields-walk-comment' } },
  'affairs.acceptTopic': { as: WORKER, payload: { topicId: 't_missing', note: '列入今年清单' } },
  'affairs.scheduleMeeting': {
    as: WORKER,
    payload: { topicId: 't_missing', at: '2030-01-07T19:00:00+08:00', place: '党群服务中心', invited: '楼组长' },
  },
  'affairs.postMinutes': { as: WORKER, payload: { topicId: 't_missing', minutes: '一致同意' } },
  'affairs.decideTopic': { as: WORKER, payload: { topicId: 't_missing', decision: '加装十个充电桩' } },
  'affairs.declineTopic': { as: WORKER, payload: { topicId: 't_missing', reason: '不属于社区事务' } },
  'affairs.reportProgress': { as: WORKER, payload: { topicId: 't_missing', note: '已进场施工' } },
  'affairs.finishTopic': { as: WORKER, payload: { topicId: 't_missing', note: '已完工' } },
  'ledger.record': {
    as: WORKER,
    payload: {
      account: 'demo:public',
      direction: 'in',
      amountFen: 100,
      date: '2026-01-05',
      summary: '车位租金',
      counterparty: '停车公司',
      basis: '业主大会决议',
      requestId: 'fields-walk-ledger-1',
    },
  },
  'ledger.reject': { as: WORKER, payload: { entryId: 'le_missing', reason: '金额错了' } },
  'ledger.reverse': { as: WORKER, payload: { entryId: 'le_missing', reason: '重复记账', requestId: 'fields-walk-ledger-2' } },
  'ledger.ask': { as: RESIDENT, payload: { entryId: 'le_missing', question: '这笔钱用在哪里？' } },
  'ledger.answer': { as: WORKER, payload: { questionId: 'lq_missing', answer: '用于楼道维修' } },
  'ledger.createProject': {
    as: WORKER,
    payload: {
      name: '加装电梯',
      budgetFen: 100_000,
      plan: '3栋加装电梯',
      basis: '业主表决通过',
      requestId: 'fields-walk-project-1',
    },
  },
  'ledger.progress': {
    as: WORKER,
    payload: { projectId: 'lp_missing', note: '已完成设计', requestId: 'fields-walk-progress-1' },
  },
  'ledger.addAccount': { as: WORKER, payload: { name: '广告收益', requestId: 'fields-walk-account-1' } },
  'ledger.editAccount': { as: WORKER, payload: { accountId: 'demo:missing', name: '停车收益' } },
  'property.saveCompany': { as: WORKER, payload: { name: '幸福物业', manager: '陈经理', dutyPhone: '0755-86001234' } },
  'property.rate': {
    as: RESIDENT,
    payload: { scores: { hygiene: 4, order: 4, repair: 4, attitude: 4, fees: 4 }, comment: '保洁很用心' },
  },
  'property.recordTalk': {
    as: WORKER,
    payload: {
      warningId: 'pw_missing',
      talkDate: '2031-06-02',
      attendees: '李梅、陈经理',
      summary: '要求整改',
      outcome: 'rectify',
    },
  },
};

test('the samples cover exactly the actions with text fields, and each sample passes its schema', () => {
  const actions = [...new Set(ofKind('text').map((s) => `${s.fn}.${s.action}`))].sort();
  expect(Object.keys(SAMPLES).sort()).toEqual(actions);
  for (const [key, { payload }] of Object.entries(SAMPLES)) {
    const [fn, action] = key.split('.') as [keyof Apis, string];
    expect({ key, ok: SCHEMAS[fn][action].safeParse(payload).success }).toEqual({ key, ok: true });
  }
});

describe.each(ofKind('text').map((s) => [name(s), s] as const))('%s', (_, site) => {
  test('a refused word is refused by name before anything runs, and nothing is written', async () => {
    const { as, payload } = SAMPLES[`${site.fn}.${site.action}`];
    const key = site.path[site.path.length - 1];
    const isList = Array.isArray(payload[key]);
    const sent = { ...payload, [key]: isList ? ['好的', `这里有${REFUSED_WORD}广告`] : `这里有${REFUSED_WORD}广告` };
    const checks = cloud.wechat.calls('security.msgSecCheck');
    const before = await snapshot();
    const res = await invokeAs(cloud, site.fn, site.action as never, sent, as);
    const label = site.mark?.label ?? fieldLabel(key);
    expect(refusal(res)).toEqual({ code: 'E_CONTENT_REJECTED', message: `「${label}」含有不当内容，请修改后再提交` });
    expect(cloud.wechat.calls('security.msgSecCheck')).toBeGreaterThan(checks);
    expect(await snapshot()).toEqual(before);
  });
});

// Pictures are checked by their handler (it knows which are already attached and may be kept), so
// each picture field gets a real scenario that reaches it.
const PICTURES: Record<string, (refused: string) => Promise<unknown>> = {
  'orders.create.photos': async (photo) =>
    invokeAs(
      cloud,
      'orders',
      'create',
      { serviceId: 'demo:repair', description: '水管漏水', requestId: `pic-walk-${Date.now()}`, photos: [photo] },
      RESIDENT,
    ),
  'orders.complete.photos': async (photo) => {
    const order = await invokeData(
      cloud,
      'orders',
      'create',
      { serviceId: 'demo:repair', description: '灯坏了', requestId: `pic-walk-c-${Date.now()}` },
      RESIDENT,
    );
    await invokeData(cloud, 'orders', 'dispatch', { orderId: order._id, volunteerOpenid: VOLUNTEER }, WORKER);
    await invokeData(cloud, 'orders', 'accept', { orderId: order._id }, VOLUNTEER);
    await invokeData(cloud, 'orders', 'start', { orderId: order._id }, VOLUNTEER);
    return invokeAs(cloud, 'orders', 'complete', { orderId: order._id, note: '已修好', photos: [photo] }, VOLUNTEER);
  },
  'notices.post.images': async (image) =>
    invokeAs(cloud, 'notices', 'post', { title: '楼道清理', body: '周六清理。', category: '通知', images: [image] }, WORKER),
  'notices.update.images': async (image) => {
    const draft = await invokeData(
      cloud,
      'notices',
      'post',
      { title: '草稿', body: '待定', category: '通知', draft: true },
      WORKER,
    );
    return invokeAs(
      cloud,
      'notices',
      'update',
      { noticeId: draft._id, title: '草稿', body: '待定', category: '通知', draft: true, images: [image] },
      WORKER,
    );
  },
  'affairs.castProxy.authorization': async (picture) => {
    const vote = await invokeData(
      cloud,
      'affairs',
      'openVote',
      {
        title: '代理投票',
        body: '授权委托书',
        matter: 'ordinary',
        closesAt: new Date(Date.now() + 7 * 86400_000).toISOString(),
        requestId: `pic-walk-vote-${Date.now()}`,
      },
      WORKER,
    );
    const parts = await invokeData(cloud, 'affairs', 'listParts', { building: '3栋' }, WORKER);
    const other = parts.items.find((p) => p.room === '402')!;
    return invokeAs(
      cloud,
      'affairs',
      'castProxy',
      { voteId: vote._id, partId: other._id, choice: 'yes', authorization: picture },
      RESIDENT,
    );
  },
  'ledger.record.receipts': async (photo) => invokeAs(cloud, 'ledger', 'record', ledgerRecord({ receipts: [photo] }), WORKER),
  'ledger.record.contracts': async (photo) => invokeAs(cloud, 'ledger', 'record', ledgerRecord({ contracts: [photo] }), WORKER),
  'ledger.progress.pictures': async (photo) => {
    const project = await invokeData(
      cloud,
      'ledger',
      'createProject',
      { name: '楼道粉刷', budgetFen: 50_000, requestId: `pic-walk-project-${Date.now()}` },
      WORKER,
    );
    return invokeAs(
      cloud,
      'ledger',
      'progress',
      { projectId: project._id, note: '已完工', pictures: [photo], requestId: `pic-walk-progress-${Date.now()}` },
      WORKER,
    );
  },
  'parking.registerSpot.photo': async (photo) =>
    invokeAs(cloud, 'parking', 'registerSpot', { code: 'B2-909', location: '地下二层', photo }, RESIDENT),
  'affairs.propose.images': async (image) =>
    invokeAs(
      cloud,
      'affairs',
      'propose',
      { title: '加装充电桩', body: '楼道充电不安全', requestId: requestIdOf('pic-walk'), images: [image] },
      RESIDENT,
    ),
  'affairs.postMinutes.images': async (image) => {
    const t = await topicIn(cloud, 'scheduled');
    jest.useFakeTimers(CLOCK);
    jest.setSystemTime(new Date(t.meeting!.at).getTime() + 3_600_000);
    try {
      return await invokeAs(cloud, 'affairs', 'postMinutes', { topicId: t._id, minutes: '一致同意', images: [image] }, WORKER);
    } finally {
      jest.useRealTimers();
    }
  },
  'affairs.decideTopic.images': async (image) => {
    const t = await topicIn(cloud, 'discussed');
    return invokeAs(cloud, 'affairs', 'decideTopic', { topicId: t._id, decision: '加装充电桩', images: [image] }, WORKER);
  },
  'affairs.reportProgress.images': async (image) => {
    const t = await topicIn(cloud, 'decided');
    return invokeAs(cloud, 'affairs', 'reportProgress', { topicId: t._id, note: '已进场', images: [image] }, WORKER);
  },
  'affairs.finishTopic.images': async (image) => {
    const t = await topicIn(cloud, 'decided');
    return invokeAs(cloud, 'affairs', 'finishTopic', { topicId: t._id, note: '已完工', images: [image] }, WORKER);
  },
};

/** A ledger entry a worker may record today, with `extra` fields. */
const ledgerRecord = (extra: Record<string, unknown>) => ({
  account: 'demo:public',
  direction: 'in',
  amountFen: 100,
  date: '2026-01-05',
  summary: '车位租金',
  requestId: `pic-walk-ledger-${Date.now()}`,
  ...extra,
});

const UPLOADER: Record<string, { openid: string; kind: UploadKind }> = {
  affairs: { openid: RESIDENT, kind: 'affairs' },
  ledger: { openid: WORKER, kind: 'ledger' },
  orders: { openid: RESIDENT, kind: 'order' },
  'orders.complete': { openid: VOLUNTEER, kind: 'order' },
  notices: { openid: WORKER, kind: 'notice' },
  parking: { openid: RESIDENT, kind: 'spot' },
  // The workers' steps of a topic carry the worker's pictures.
  ...Object.fromEntries(
    ['postMinutes', 'decideTopic', 'reportProgress', 'finishTopic'].map((a) => [
      `affairs.${a}`,
      { openid: WORKER, kind: 'affairs' as const },
    ]),
  ),
};

test('the picture scenarios cover exactly the picture fields', () => {
  expect(Object.keys(PICTURES).sort()).toEqual(ofKind('picture').map(name).sort());
});

describe.each(ofKind('picture').map((s) => [name(s), s] as const))('%s', (key, site) => {
  test('the known refused picture is refused, and the picture check ran', async () => {
    const who = UPLOADER[`${site.fn}.${site.action}`] ?? UPLOADER[site.fn];
    const refused = await uploadAs(cloud, who.openid, who.kind, fixturePicture('refused.png'));
    const checks = cloud.wechat.calls('security.imgSecCheck');
    const res = (await PICTURES[key](refused)) as Parameters<typeof refusal>[0];
    expect(refusal(res).code).toBe('E_CONTENT_REJECTED');
    expect(cloud.wechat.calls('security.imgSecCheck')).toBeGreaterThan(checks);
  });
});

// ----------------------------------------------------------------------------- hygiene

const HOSTILE: [string, string][] = [
  ['NUL', '水管\u0000漏水'],
  ['a right-to-left override', '水管\u202e漏水'],
  ['a lone surrogate', '水管\ud800漏水'],
  ['only zero-width characters', '\u200b\u200c\u200d\ufeff'],
  ['only a Hangul filler and a braille blank', '\u3164\u2800'],
];

describe.each(HOSTILE)('text with %s', (_, hostile) => {
  test('is refused by every text and choice field', () => {
    const sites = [...ofKind('text'), ...ofKind('choice')];
    const accepted = sites.filter((s) => s.schema.safeParse(hostile).success).map(name);
    expect(accepted).toEqual([]);
  });
});

test('names and other one-line fields refuse a line break; descriptions keep theirs', async () => {
  const res = await invokeAs(cloud, 'member', 'join', { inviteCode: 'ABCDEFGH', name: '王\n芳', room: '101' }, STRANGER);
  expect(refusal(res)).toEqual({ code: 'E_VALIDATION', message: '姓名只能写一行，请去掉换行' });
  const oneLine = ofKind('text').filter((s) => s.schema.safeParse('第一行\n第二行').success);
  expect(oneLine.map(name)).toEqual(expect.arrayContaining(['orders.create.description', 'notices.post.body']));
  expect(oneLine.map(name)).not.toContain('member.join.name');
  const order = await invokeData(
    cloud,
    'orders',
    'create',
    { serviceId: 'demo:repair', description: '厨房漏水\r\n卫生间也漏', requestId: `lines-${Date.now()}` },
    RESIDENT,
  );
  expect(order.description).toBe('厨房漏水\n卫生间也漏');
});

test('a refused character answers what to do, through the real function, and writes nothing', async () => {
  const before = await snapshot();
  const sent = { serviceId: 'demo:repair', description: '\u200b\u200b', requestId: `zw-${Date.now()}` };
  expect(refusal(await invokeAs(cloud, 'orders', 'create', sent, RESIDENT))).toEqual({
    code: 'E_VALIDATION',
    message: '需求描述不能只有空格或看不见的字符，请填写文字',
  });
  const bidi = { ...sent, description: '维修\u202e费用' };
  expect(refusal(await invokeAs(cloud, 'orders', 'create', bidi, RESIDENT))).toEqual({
    code: 'E_VALIDATION',
    message: '需求描述含有改变文字方向的特殊字符，请删掉后重新输入',
  });
  expect(await snapshot()).toEqual(before);
});

test.each([
  ['parking', 'spotSchedule', { spotId: 's1', date: '2026-02-31' }],
  ['parking', 'spotSchedule', { spotId: 's1', date: '0000-01-01' }],
  ['parking', 'search', { start: '2026-02-30T10:00:00+08:00', end: '2026-03-01T10:00:00+08:00' }],
  ['parking', 'search', { start: '0000-01-01T10:00:00+08:00', end: '0000-01-01T11:00:00+08:00' }],
  ['notices', 'post', { title: '通知', body: '内容', category: '通知', publishAt: '2027-02-29T08:00:00+08:00' }],
])('%s.%s refuses a day that is not on the calendar: %j', async (fn, action, payload) => {
  const res = await invokeAs(cloud, fn as keyof Apis, action as never, payload, fn === 'notices' ? WORKER : RESIDENT);
  expect(refusal(res).code).toBe('E_VALIDATION');
});

test('a real leap day passes', () => {
  expect(parkingSchemas.spotSchedule.safeParse({ spotId: 's1', date: '2028-02-29' }).success).toBe(true);
  expect(
    noticeSchemas.post.safeParse({ title: '通知', body: '内容', category: '通知', publishAt: '2028-02-29T08:00:00+08:00' })
      .success,
  ).toBe(true);
});
