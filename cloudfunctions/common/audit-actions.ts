// Every action of every function, classified once: `audited` (it changes a record's state and
// writes an audit entry; the value is the Chinese label the audit page shows) or `reads` (it
// changes no record of the community: reads, and the caller's own bookkeeping — read marks,
// read receipts, the subscribe-message quota, which community the app shows). The timer's steps
// that change state are here too (`timer.<step>`). tests/cloud/audit-coverage.test.ts walks every
// function's action table and fails on an action missing here, so a new action cannot forget it.
// docs/audit.md explains each choice.

/** `fn.action` → what the audit page calls it. */
export const AUDITED = {
  'member.join': '申请加入',
  'member.createInvite': '生成邀请码',
  'member.approve': '通过入住审核',
  'member.reject': '驳回入住申请',
  'member.setRoles': '设置角色',
  'member.setTags': '设置标签',
  'member.confirmHousehold': '确认家人',
  'member.verifyHousehold': '核实房号',
  'member.leave': '退出社区',
  'member.remove': '移出社区',
  'member.erase': '注销个人信息',
  'member.setElderMode': '设置长辈模式',
  'orders.create': '下单',
  'orders.dispatch': '派单',
  'orders.release': '放入接单大厅',
  'orders.accept': '接单',
  'orders.decline': '拒单',
  'orders.start': '开始服务',
  'orders.complete': '完成服务',
  'orders.rate': '评价',
  'orders.review': '审核',
  'orders.followUp': '回访',
  'orders.cancel': '取消订单',
  'orders.saveService': '编辑服务项目',
  'orders.setDuty': '切换值班',
  'parking.registerSpot': '登记车位',
  'parking.verifySpot': '核实车位',
  'parking.rejectSpot': '驳回车位',
  'parking.publishWindow': '开放时段',
  'parking.removeWindow': '撤下时段',
  'parking.book': '预约车位',
  'parking.cancelBooking': '取消预约',
  'parking.checkIn': '入场',
  'parking.checkOut': '离场',
  'notices.post': '发布公告',
  'notices.update': '修改公告',
  'notices.withdraw': '撤回公告',
  'notices.remind': '提醒未读',
  'notices.bindGroup': '绑定楼栋群',
  'affairs.importParts': '导入房屋登记',
  'affairs.verifyOwner': '核实业主',
  'affairs.removeOwner': '撤销业主核实',
  'affairs.openVote': '发起业主表决',
  'affairs.cast': '投票',
  'affairs.castProxy': '代理投票',
  'affairs.closeVote': '结束计票',
  'affairs.extendVote': '表决延期',
  'affairs.createConsult': '发起意见征询',
  'affairs.answerConsult': '回答意见征询',
  'affairs.closeConsult': '结束意见征询',
  // affairs: topics (线上议事)
  'affairs.propose': '提出议题',
  'affairs.second': '附议',
  'affairs.comment': '发表意见',
  'affairs.acceptTopic': '列入议事清单',
  'affairs.scheduleMeeting': '安排议事会',
  'affairs.postMinutes': '发布会议纪要',
  'affairs.decideTopic': '形成决议',
  'affairs.declineTopic': '不予采纳',
  'affairs.reportProgress': '记录落实进展',
  'affairs.finishTopic': '落实完成',
  'timer.returnOrder': '超时退回',
  'timer.autoClose': '自动办结',
  'timer.noShow': '爽约处理',
  'timer.overstay': '超时离场处理',
  'timer.block': '暂停预约',
  'ledger.record': '记账',
  'ledger.approve': '复核账目',
  'ledger.reject': '退回账目',
  'ledger.reverse': '冲销账目',
  'ledger.close': '结账公示',
  'ledger.ask': '账目提问',
  'ledger.answer': '回复账目提问',
  'ledger.rate': '账目评分',
  'ledger.createProject': '新建项目',
  'ledger.progress': '记录项目进度',
  'ledger.addAccount': '添加账户',
  'ledger.editAccount': '修改账户',
  'ledger.orderAccounts': '调整账户顺序',
} as const satisfies Record<string, string>;

export type AuditedAction = keyof typeof AUDITED;

/** Actions that change no record of the community. */
export const READS = [
  'member.me',
  'member.inviteInfo',
  'member.list',
  'member.auditLog',
  'member.household',
  'member.rateLimited',
  'member.switchCommunity', // which of one's own communities the app shows
  'orders.menu',
  'orders.get',
  'orders.listMine',
  'orders.listHall',
  'orders.listAll',
  'orders.suggestVolunteers',
  'orders.volunteerRecord',
  'parking.mySpots',
  'parking.listSpots',
  'parking.spotSchedule',
  'parking.spotBookings',
  'parking.search',
  'parking.myBookings',
  'notices.list',
  'notices.get', // records the reader's receipt: not the notice's state
  'notices.stats',
  'notices.groups',
  'messages.list',
  'messages.unreadCount',
  'messages.markRead', // the reader's own read mark
  'messages.grantSubscribe', // the reader's own subscribe-message quota
  'messages.subscribeTemplates',
  // affairs: the register, votes, consultations
  'affairs.listParts',
  'affairs.myParts',
  'affairs.listVotes',
  'affairs.getVote',
  'affairs.tally',
  'affairs.voteResult',
  'affairs.listConsults',
  'affairs.getConsult',
  // affairs: topics (线上议事)
  'affairs.listTopics',
  'affairs.getTopic',
  'affairs.listComments',
  'ledger.accounts', // a community without accounts gets the default four, as orders.menu seeds its menu
  'ledger.entry',
  'ledger.pending',
  'ledger.statement',
  'ledger.quarter',
  'ledger.periods',
  'ledger.questions',
  'ledger.projects',
  'ledger.project',
] as const;

/** Names older entries carry (before the timer's steps had their own). */
const FORMER: Record<string, string> = { 'timer.sweepOrders': '超时处理' };

/** The label of an entry's `what`; an unknown one shows as it is. */
export const auditLabel = (what: string): string => (AUDITED as Record<string, string>)[what] ?? FORMER[what] ?? what;
