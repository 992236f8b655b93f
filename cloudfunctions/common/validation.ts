// Turns zod issues into one Chinese sentence a person can act on.
import type { z } from 'zod';
import { allowedOf, schemaAt } from './fields';
import type { HygieneRule } from './schema';

const FIELD_LABELS: Record<string, string> = {
  name: '姓名',
  building: '楼栋',
  room: '房号',
  phone: '手机号',
  inviteCode: '邀请码',
  openid: '成员',
  openids: '成员',
  mode: '长辈模式',
  roles: '角色',
  role: '角色',
  tags: '标签',
  reason: '原因',
  status: '状态',
  page: '页码',
  communityId: '社区',
  autoApprove: '自动通过',
  expiresInDays: '有效天数',
  title: '标题',
  body: '正文',
  description: '需求描述',
  comment: '评价',
  note: '备注',
  stars: '评分',
  plate: '车牌号',
  start: '开始时间',
  end: '结束时间',
  code: '车位编号',
  location: '位置',
  category: '分类',
  requestId: '请求编号',
  serviceId: '服务项目',
  orderId: '订单',
  spotId: '车位',
  noticeId: '通知',
  sessionId: '电脑端登录码',
  bookingId: '预约',
  windowId: '开放时段',
  weekdays: '星期',
  from: '开始时刻',
  to: '结束时刻',
  photo: '照片',
  maxHours: '最长预约时长',
  scope: '范围',
  date: '日期',
  day: '日期',
  actor: '操作人',
  target: '对象',
  days: '天数',
  buildings: '通知楼栋',
  pinned: '置顶',
  expiresAt: '有效期',
  images: '图片',
  publishAt: '发布时间',
  draft: '草稿',
  box: '通知列表',
  cloudId: '群信息',
  messageId: '消息',
  family: '家属消息',
  elderOpenid: '长辈',
  familyCode: '亲情码',
  relation: '与长辈的关系',
  linkId: '亲情绑定',
  unreadOnly: '只看未读',
  templateIds: '订阅消息模板',
  forOpenid: '服务对象',
  photos: '照片',
  voice: '语音',
  fileId: '语音文件',
  seconds: '语音时长（秒）',
  transcript: '语音文字',
  volunteerOpenid: '志愿者',
  result: '结果',
  light: '亮灯状态',
  tier: '服务类别',
  as: '查看方式',
  serviceName: '服务名称',
  price: '价格',
  eligibleTags: '适用人群',
  skills: '所需技能',
  enabled: '启用状态',
  stepLimits: '环节时限',
  dispatch: '派单时限',
  accept: '接单时限',
  serve: '服务时限',
  review: '评单时限',
  sort: '排序',
  onDuty: '在岗状态',
  needsFollowUp: '待回访',
  confirm: '是否家人',
  household: '房号核实状态',
  version: '版本',
  voteId: '表决',
  matter: '事项类型',
  opensAt: '开始投票时间',
  closesAt: '截止时间',
  choice: '投票选项',
  partId: '房屋',
  area: '面积',
  holder: '产权人编号',
  developer: '开发商未售',
  rows: '登记表',
  authorization: '授权委托书',
  consultId: '意见征询',
  options: '选项',
  option: '选项',
  topicId: '议题',
  account: '账户',
  direction: '收支方向',
  amountFen: '金额',
  summary: '摘要',
  counterparty: '收付款方',
  counterpartyKind: '收付款方类型',
  receipts: '票据照片',
  contracts: '合同照片',
  basis: '依据',
  entryId: '账目',
  month: '月份',
  fromMonth: '起始月份',
  toMonth: '截止月份',
  quarter: '季度',
  question: '问题',
  answer: '回复',
  questionId: '问题',
  open: '只看未回复',
  project: '项目',
  projectId: '项目',
  budgetFen: '预算',
  plan: '方案说明',
  pictures: '图片',
  accountId: '账户',
  disabled: '停用',
  accounts: '账户顺序',
  servedBy: '服务方',
  complaint: '投诉类服务',
  manager: '项目经理',
  dutyPhone: '值班电话',
  scores: '各项评分',
  hygiene: '环境卫生',
  order: '秩序维护',
  repair: '设施维修',
  attitude: '服务态度',
  fees: '收费透明',
  warningId: '预警记录',
  talkDate: '约谈日期',
  attendees: '参加人员',
  outcome: '约谈结果',
};

/** A payload key's name in a message (姓名, 需求描述 …). */
export const fieldLabel = (key: string): string => FIELD_LABELS[key] ?? key;

function label(path: PropertyKey[]): string {
  const key = [...path].reverse().find((p) => typeof p === 'string') as string | undefined;
  return key ? fieldLabel(key) : '请求内容';
}

/** schema.ts's text hygiene, said with the field's name. */
const HYGIENE_MESSAGES: Record<HygieneRule, (field: string) => string> = {
  control: (f) => `${f}含有无法显示的控制字符，请删掉后重新输入`,
  bidi: (f) => `${f}含有改变文字方向的特殊字符，请删掉后重新输入`,
  surrogate: (f) => `${f}含有无法识别的字符，请删掉后重新输入`,
  lines: (f) => `${f}只能写一行，请去掉换行`,
  invisible: (f) => `${f}不能只有空格或看不见的字符，请填写文字`,
};

/** Names the caller sent, for a message: at most 3, each cut to 20 characters (never the input at any length). */
export function shortList(names: readonly string[]): string {
  const cut = (n: string) => (n.length > 20 ? `${n.slice(0, 20)}…` : n);
  const shown = names.slice(0, 3).map(cut).join('、');
  return names.length > 3 ? `${shown} 等 ${names.length} 个` : shown;
}

/**
 * One issue as a sentence that names the field, says what is wrong and what is allowed
 * (「评分应为 1–5 的整数」); `schema` is the payload's, read for what the field allows.
 */
export function describeIssue(issue: z.core.$ZodIssue, schema?: z.ZodType): string {
  const field = label(issue.path);
  const at = schema && schemaAt(schema, issue.path);
  const allowed = at && allowedOf(at);
  // A space between Chinese and a leading digit or letter, as the pages write it.
  const should = allowed ? `${field}应为${/^[\w-]/.test(allowed) ? ' ' : ''}${allowed}` : `${field}格式不对`;
  const own = issue.message && /[\u4e00-\u9fa5]/.test(issue.message) ? issue.message : undefined;
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `请填写${field}`;
      return own ?? should;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? `请填写${field}` : `${field}至少 ${issue.minimum} 个字`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${field}至少要选 ${issue.minimum} 项`;
      return should;
    case 'too_big':
      if (issue.origin === 'string') return `${field}不能超过 ${issue.maximum} 个字`;
      if (issue.origin === 'array' || issue.origin === 'set') return `${field}最多选 ${issue.maximum} 项`;
      return should;
    case 'invalid_format':
      // A schema's own Chinese message says what to do (e.g. 图片需要先上传); zod's are English.
      return own ?? should;
    case 'invalid_value':
      return allowed ? `${field}只能是${allowed}` : `${field}不在可选范围内`;
    case 'unrecognized_keys':
      return `包含无法识别的字段：${shortList(issue.keys)}`;
    case 'custom': {
      const rule = (issue.params as { hygiene?: HygieneRule } | undefined)?.hygiene;
      if (rule) return HYGIENE_MESSAGES[rule](field);
      return own ?? should;
    }
    default:
      return own ?? should;
  }
}

export function zodMessage(error: z.ZodError, schema?: z.ZodType): string {
  return describeIssue(error.issues[0] as z.core.$ZodIssue, schema);
}
