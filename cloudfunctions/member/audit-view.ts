// How an audit entry reads on the audit page: who, what, which object, before → after, when.
// Names and object titles come from a few reads per page, made together (see audit.ts).
import { SYSTEM_ACTOR, type AuditDoc } from '../common/audit';
import { auditLabel } from '../common/audit-actions';
import { memberId } from '../common/model';
import { STATUS_LABELS as ORDER_STATUS, TIER_LABELS } from '../../miniprogram/shared/order-labels';
import { longDateTime } from '../../miniprogram/shared/clock';
import type { AuditRow } from './api';
import { TOPIC_STATUS_LABELS } from '../../miniprogram/shared/topic-labels';

/** What the reader knows besides the entries: names by openid, titles by target. */
export interface Lookup {
  names: Map<string, string>;
  titles: Map<string, string>;
}

export const SYSTEM_NAME = '系统';
/** The timer's actor in entries written before it was `system:timer`. */
const FORMER_SYSTEM = 'system';
const isSystem = (actor: string) => actor === SYSTEM_ACTOR || actor === FORMER_SYSTEM;
const GONE = '已不在本社区的成员';

/** Kinds of audited objects: their Chinese name. */
const KINDS: Record<string, string> = {
  order: '订单',
  desk: '电脑端登录',
  member: '成员',
  invite: '邀请码',
  service: '服务项目',
  parking_spot: '车位',
  parking_booking: '车位预约',
  notice: '公告',
  group: '楼栋群',
  topic: '议题',
  ledger_entry: '账目',
  ledger_period: '账期',
  ledger_question: '账目提问',
  ledger_project: '项目',
  ledger_account: '账户',
  property_company: '物业公司',
  property_rating: '物业评价',
  property_grade: '物业评级',
  property_warning: '物业预警',
  family: '亲情绑定',
  register: '房屋登记表',
  part: '房屋',
  part_import: '房屋台账导入',
};

/** The statuses of each kind as the audit page words them (orders: the orders' own labels). */
const STATUS: Record<string, Record<string, string>> = {
  order: ORDER_STATUS,
  desk: { waiting: '待扫码', confirmed: '已确认', active: '已登录', ended: '已结束' },
  member: { pending: '待审核', active: '已入住', rejected: '已驳回' },
  parking_spot: { pending: '待核实', verified: '已核实', rejected: '已驳回' },
  parking_booking: {
    pending: '处理中',
    booked: '已预约',
    checked_in: '已入场',
    completed: '已结束',
    cancelled: '已取消',
    no_show: '爽约',
  },
  notice: { draft: '草稿', scheduled: '定时发布', published: '已发布', withdrawn: '已撤回' },
  topic: TOPIC_STATUS_LABELS,
  ledger_entry: { pending: '待复核', approved: '已复核', rejected: '已退回' },
  ledger_question: { open: '待回复', answered: '已回复' },
  property_warning: { open: '待约谈', talked: '已约谈' },
  family: { requested: '待确认', active: '已绑定', declined: '未同意', ended: '已解除' },
};

const FIELDS: Record<string, string> = {
  status: '状态',
  volunteerOpenid: '志愿者',
  forOpenid: '服务对象',
  owner: '车主',
  onDuty: '值班',
  roles: '角色',
  tags: '标签',
  elderMode: '长辈模式',
  building: '楼栋',
  room: '房号',
  autoApprove: '自动通过',
  code: '车位编号',
  location: '位置',
  window: '开放时段',
  spot: '车位',
  time: '时段',
  overstay: '超时',
  title: '标题',
  audience: '范围',
  publishAt: '发布时间',
  pinned: '置顶',
  reason: '原因',
  name: '名称',
  tier: '档位',
  price: '价格',
  enabled: '启用',
  remindedAt: '提醒时间',
  recipients: '提醒人数',
  remindedCount: '已提醒',
  parkingBlockedUntil: '暂停预约至',
  comment: '意见',
  category: '类别',
  disabled: '停用',
  order: '顺序',
  relation: '关系',
  familyCode: '亲情码',
  fileName: '文件',
  chunk: '分段',
  rows: '行数',
  created: '新增',
  updated: '更新',
  unchanged: '不变',
  errors: '有错误',
};

const OPENID_FIELDS = new Set(['volunteerOpenid', 'forOpenid', 'owner']);
const ELDER_MODE_LABELS: Record<string, string> = { on: '开', off: '关', auto: '按标签（高龄、独居老人默认开）' };
const ROLE_LABELS: Record<string, string> = { resident: '居民', volunteer: '志愿者', worker: '社区工作者', property: '物业人员' };

/** `order:abc` → ['order', 'abc']; a member's id keeps its colon (`member:demo:o1`). */
export function splitTarget(target: string): [kind: string, id: string] {
  const i = target.indexOf(':');
  return i < 0 ? [target, ''] : [target.slice(0, i), target.slice(i + 1)];
}

/** Openids an entry names: its actor, a member it is about, people in its fields. */
export function openidsOf(doc: AuditDoc): string[] {
  const out: string[] = [];
  if (!isSystem(doc.actor)) out.push(doc.actor);
  const [kind, id] = splitTarget(doc.target);
  if (kind === 'member') out.push(id.slice(id.indexOf(':') + 1));
  for (const side of [doc.before, doc.after])
    for (const [k, v] of Object.entries(side ?? {})) if (OPENID_FIELDS.has(k) && typeof v === 'string') out.push(v);
  return out;
}

const isDate = (v: unknown): v is Date => v instanceof Date;

function valueText(kind: string, field: string, v: unknown, names: Map<string, string>): string {
  if (v === undefined || v === null || v === '') return '—';
  if (field === 'status' && typeof v === 'string') return STATUS[kind]?.[v] ?? v;
  if (field === 'tier' && typeof v === 'string') return (TIER_LABELS as Record<string, string>)[v] ?? v;
  if (OPENID_FIELDS.has(field) && typeof v === 'string') return names.get(v) ?? GONE;
  if (field === 'elderMode' && typeof v === 'string') return ELDER_MODE_LABELS[v] ?? v;
  if (field === 'roles' && Array.isArray(v)) return v.map((r) => ROLE_LABELS[String(r)] ?? String(r)).join('、') || '—';
  if (field === 'audience' && Array.isArray(v)) return v.includes('*') ? '全体居民' : v.join('、');
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (isDate(v)) return longDateTime(v);
  if (Array.isArray(v)) return v.map(String).join('、') || '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const same = (a: unknown, b: unknown) =>
  isDate(a) && isDate(b) ? a.getTime() === b.getTime() : JSON.stringify(a) === JSON.stringify(b);

function targetLabel(kind: string, id: string, lookup: Lookup): string {
  const name = KINDS[kind] ?? kind;
  if (kind === 'member') return `${name} ${lookup.names.get(id.slice(id.indexOf(':') + 1)) ?? GONE}`;
  const title = lookup.titles.get(`${kind}:${id}`);
  if (title) return `${name}「${title}」`;
  if (kind === 'invite' || kind === 'group') return `${name} ${id}`;
  return `${name} …${id.slice(-6)}`;
}

export function auditRow(doc: AuditDoc & { _id: string }, lookup: Lookup): AuditRow {
  const [kind, id] = splitTarget(doc.target);
  const before = doc.before ?? {};
  const after = doc.after ?? {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const changes = fields
    .filter((f) => !same(before[f], after[f]))
    .map((f) => ({
      field: FIELDS[f] ?? f,
      before: valueText(kind, f, before[f], lookup.names),
      after: valueText(kind, f, after[f], lookup.names),
    }));
  const row: AuditRow = {
    _id: doc._id,
    actor: doc.actor,
    actorName: isSystem(doc.actor) ? SYSTEM_NAME : (lookup.names.get(doc.actor) ?? GONE),
    what: doc.what,
    label: auditLabel(doc.what),
    target: doc.target,
    targetLabel: targetLabel(kind, id, lookup),
    changes,
    at: new Date(doc.at).toISOString(),
  };
  if (doc.note) row.note = doc.note;
  return row;
}

/** The member ids to read for the names of a page. */
export const memberIdsOf = (communityId: string, docs: AuditDoc[]): string[] =>
  [...new Set(docs.flatMap(openidsOf))].map((o) => memberId(communityId, o));
