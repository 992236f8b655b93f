// 订单详情, also the landing page of an order card and of every order message. Shows the state,
// its light and deadline, who is served and who serves, the timeline, and exactly the buttons the
// function allows this viewer now (`allowedActions`). Worker steps (派单, 评单, 回访) open the
// worker console's pages.
import { pictureSrc, uploadPicture } from '../../../services/files';
import { ordersService, type OrderAction, type OrderDetail } from '../../../services/orders';
import { memberService } from '../../../services/member';
import { messagesService } from '../../../services/messages';
import { errorMessage, showError } from '../../../services/feedback';
import { isServiceError } from '../../../services/core';
import { addressText } from '../../../utils/format';
import { decodeQueryValue, openPage, replacePage } from '../../../utils/nav';
import { privateState } from '../../../utils/state';
import { enableShareMenu, pathWith, sendStrangerToJoin, shareCard } from '../../../utils/share';
import { LIGHT_LABELS } from '../../../shared/order-labels';
import { shortDateTime } from '../../../utils/format';
import { ORDER_PAGES, deadlineText, priceText, starsText, withId } from '../../../utils/orders';
import { pageBehavior } from '../../../utils/page-behavior';
import { Player, secondsText } from '../recorder';
import { showHint } from '../../../utils/elder';

type Phase = 'loading' | 'order' | 'missing' | 'pending' | 'error';

const MAX_PHOTOS = 3;
const PHONE = /^1\d{10}$/;

interface View {
  serviceName: string;
  tierLabel: string;
  priceText: string;
  status: OrderDetail['status'];
  statusLabel: string;
  light: string;
  lightText: string;
  deadline: string;
  description: string;
  photos: string[];
  /** 一键求助. */
  urgent: boolean;
  /** `语音 12″` when the order has a voice message; its player needs `voiceUrl`. */
  voiceText: string;
  voiceUrl: string;
  /** Why it does not play (checking, refused); '' when it plays. */
  voiceNote: string;
  voiceTranscript: string;
  created: string;
  beneficiaryName: string;
  beneficiaryAddress: string;
  beneficiaryPhone: string;
  /** The whole number, so a call can be placed; '' when masked or missing. */
  beneficiaryCall: string;
  orderedByText: string;
  volunteerName: string;
  volunteerPhone: string;
  volunteerCall: string;
  completionNote: string;
  completionPhotos: string[];
  completionTime: string;
  stars: number;
  starsText: string;
  ratingComment: string;
  reviewText: string;
  followUpText: string;
  cancellationText: string;
  passedOver: string;
  /** 志愿者 or 物业人员 (docs/property.md). */
  serverLabel: string;
  reworkText: string;
}

interface Step {
  title: string;
  content: string;
}

/** `me`: the viewer's openid, so nobody is offered a call to themselves. */
function viewOf(o: OrderDetail, me: string): View {
  const b = o.beneficiary;
  const v = o.volunteer;
  return {
    serviceName: o.serviceName,
    tierLabel: o.tierLabel,
    priceText: priceText(o.price),
    status: o.status,
    statusLabel: o.statusLabel,
    light: o.light ?? '',
    lightText: o.light ? LIGHT_LABELS[o.light] : '',
    deadline: deadlineText(o),
    description: o.description,
    photos: o.photos.map(pictureSrc),
    urgent: o.urgent,
    voiceText: o.voice ? `语音 ${secondsText(o.voice.seconds)}` : '',
    voiceUrl: o.voice && o.voice.url ? o.voice.url : '',
    voiceNote: o.voice ? o.voice.checkLabel || (o.voice.url ? '' : '语音暂时不能播放') : '',
    voiceTranscript: o.voice && o.voice.transcript ? o.voice.transcript : '',
    created: shortDateTime(o.createdAt),
    beneficiaryName: b.name,
    beneficiaryAddress: addressText(b.building, b.room),
    beneficiaryPhone: b.phone ?? '',
    beneficiaryCall: b.phone && PHONE.test(b.phone) && b.openid !== me ? b.phone : '',
    orderedByText: o.forSomeoneElse ? `${o.orderedBy.name} 代下单` : '',
    volunteerName: v ? v.name : '',
    volunteerPhone: v && v.phone ? v.phone : '',
    volunteerCall: v && v.phone && PHONE.test(v.phone) && v.openid !== me ? v.phone : '',
    completionNote: o.completion ? o.completion.note : '',
    completionPhotos: o.completion ? o.completion.photos.map(pictureSrc) : [],
    completionTime: o.completion ? shortDateTime(o.completion.at) : '',
    stars: o.rating ? o.rating.stars : 0,
    starsText: o.rating ? starsText(o.rating.stars) : '',
    ratingComment: o.rating && o.rating.comment ? o.rating.comment : '',
    reviewText: o.review
      ? `${o.review.result === 'pass' ? '评单通过' : '需返工'}${o.review.note ? `：${o.review.note}` : ''}`
      : '',
    followUpText: o.followUp
      ? o.followUp.resultLabel
        ? `已回访：${o.followUp.resultLabel}${o.followUp.note ? `，${o.followUp.note}` : ''}`
        : '待回访'
      : '',
    cancellationText: o.cancellation ? `${o.cancellation.byName} 取消：${o.cancellation.reason}` : '',
    serverLabel: o.serverLabel,
    passedOver: o.passedOver.map((p) => `${p.name}${p.timedOut ? '（超时未接）' : `（${p.reason}）`}`).join('；'),
    reworkText: o.reworkCount ? `已返工 ${o.reworkCount} 次` : '',
  };
}

const stepsOf = (o: OrderDetail): Step[] =>
  o.timeline.map((t) => ({
    title: `${t.actionLabel} · ${t.actorName}`,
    content: `${shortDateTime(t.at)}${t.note ? `　${t.note}` : ''}`,
  }));

type Acts = Partial<Record<OrderAction, boolean>>;

const actsOf = (o: OrderDetail): Acts => {
  const acts: Acts = {};
  for (const a of o.allowedActions) acts[a] = true;
  return acts;
};

const state = privateState(() => ({
  id: '',
  /** The viewer's openid, once known. */
  me: '',
  order: undefined as OrderDetail | undefined,
  /** Another page was opened from here (rate, worker console): reload when coming back. */
  stale: false,
  note: '',
  photos: [] as string[],
  player: undefined as Player | undefined,
}));

Component({
  behaviors: [pageBehavior],
  data: {
    phase: 'loading' as Phase,
    message: '',
    order: null as View | null,
    timeline: [] as Step[],
    acts: {} as Acts,
    hasActions: false,
    busy: false,
    completing: false,
    noteError: '',
    completePhotos: [] as string[],
    voicePlaying: false,
  },

  lifetimes: {
    detached() {
      state(this).player?.stop();
    },
  },

  methods: {
    /** Plays (or stops) the order's voice message from its temporary address. */
    onPlayVoice() {
      const s = state(this);
      const url = this.data.order ? this.data.order.voiceUrl : '';
      if (!url) return;
      s.player = s.player || new Player();
      if (this.data.voicePlaying) {
        s.player.stop();
        this.setData({ voicePlaying: false });
        return;
      }
      this.setData({ voicePlaying: true });
      s.player.play(url, () => this.setData({ voicePlaying: false }));
    },

    async onLoad(query: Record<string, string | undefined>) {
      const s = state(this);
      s.id = decodeQueryValue(query.id);
      enableShareMenu();
      void messagesService.prepareSubscribe();
      if (!s.id) {
        this.setData({ phase: 'missing', message: '没有找到这个订单，请从“订单”里重新打开' });
        return;
      }
      await this.load();
    },

    async onShow() {
      const s = state(this);
      if (!s.stale) return;
      s.stale = false;
      await this.load();
    },

    here(): string {
      return pathWith(ORDER_PAGES.detail, { id: state(this).id });
    },

    async load() {
      const s = state(this);
      try {
        const [order, me] = await Promise.all([
          ordersService.get(s.id),
          s.me ? Promise.resolve(null) : memberService.me().catch(() => null),
        ]);
        if (me) s.me = me.openid;
        this.render(order);
      } catch (err) {
        if (await sendStrangerToJoin(err, this.here())) return;
        if (isServiceError(err) && err.code === 'E_NOT_MEMBER') {
          this.setData({ phase: 'pending', message: '您的加入申请正在等待社区审核，通过后就能查看订单。' });
        } else if (isServiceError(err) && err.code === 'E_NOT_FOUND') {
          this.setData({ phase: 'missing', message: '订单不存在，或者您没有查看这个订单的权限' });
        } else if (this.data.phase === 'order') {
          showError(this, err);
        } else {
          this.setData({ phase: 'error', message: errorMessage(err) });
        }
      }
    },

    render(order: OrderDetail) {
      const s = state(this);
      s.order = order;
      const acts = actsOf(order);
      this.setData({
        phase: 'order',
        order: viewOf(order, s.me),
        timeline: stepsOf(order),
        acts,
        hasActions: order.allowedActions.length > 0,
        completing: this.data.completing && !!acts.complete,
      });
    },

    /** One transition of this order: the answer is the order as it is now (pageBehavior's act). */
    change(run: (id: string) => Promise<OrderDetail>, done: string): Promise<boolean> {
      return this.act(
        () => run(state(this).id),
        done,
        (order) => this.render(order),
      );
    },

    /** Asks for a reason in a dialog; undefined when the person backs out. */
    async askReason(title: string, placeholderText: string, confirmText: string): Promise<string | undefined> {
      const answer = await wx.showModal({
        title,
        content: '',
        editable: true,
        placeholderText,
        confirmText,
        confirmColor: '#d54941',
        cancelText: '再想想',
      });
      if (!answer.confirm) return undefined;
      const reason = (answer.content || '').trim();
      if (!reason) {
        showHint('请写上原因，对方才知道怎么安排');
        return undefined;
      }
      return reason.slice(0, 200);
    },

    onAccept() {
      return this.change((id) => ordersService.accept(id), '接单成功，请尽快联系居民');
    },

    async onDecline() {
      const reason = await this.askReason('不能接这一单？', '请写原因，例如：今天临时有事', '确定拒单');
      if (reason) await this.change((id) => ordersService.decline(id, reason), '已拒单，社区会另外安排');
    },

    onStart() {
      return this.change((id) => ordersService.start(id), '已开始服务');
    },

    onOpenComplete() {
      const s = state(this);
      s.note = '';
      s.photos = [];
      this.setData({ completing: true, noteError: '', completePhotos: [] });
    },

    onCloseComplete() {
      this.setData({ completing: false, noteError: '' });
    },

    onNote(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).note = e.detail.value || '';
      if (this.data.noteError) this.setData({ noteError: '' });
    },

    async onAddCompletePhoto() {
      const s = state(this);
      try {
        const picked = await wx.chooseMedia({
          count: MAX_PHOTOS - s.photos.length,
          mediaType: ['image'],
          sizeType: ['compressed'],
        });
        for (const file of picked.tempFiles) {
          if (s.photos.length >= MAX_PHOTOS) break;
          s.photos.push(await uploadPicture(file.tempFilePath, 'order'));
          this.setData({ [`completePhotos[${s.photos.length - 1}]`]: pictureSrc(s.photos[s.photos.length - 1]) });
        }
      } catch (err) {
        if ((err as { errMsg?: string }).errMsg?.includes('cancel')) return;
        showError(this, err);
      }
    },

    async onComplete() {
      const s = state(this);
      const note = s.note.trim();
      if (!note) {
        this.setData({ noteError: '请简单写一下做了什么，例如：已更换水龙头阀芯' });
        return;
      }
      if (Array.from(note).length > 500) {
        this.setData({ noteError: '最多写 500 个字' });
        return;
      }
      const photos = s.photos.slice();
      const ok = await this.change((id) => ordersService.complete(id, note, photos), '服务已完成，居民会收到评价提醒');
      if (ok) this.setData({ completing: false });
    },

    onRate() {
      state(this).stale = true;
      openPage(withId(ORDER_PAGES.rate, state(this).id));
    },

    async onCancel() {
      const reason = await this.askReason('取消这个订单？', '请写原因，例如：家里人已经帮忙办好了', '取消订单');
      if (reason) await this.change((id) => ordersService.cancel(id, reason), '订单已取消');
    },

    /** 派单 and 发布到接单大厅 live on the worker console's dispatch page. */
    onDispatch() {
      state(this).stale = true;
      openPage(withId(ORDER_PAGES.workerDispatch, state(this).id));
    },

    /** 评单 and 回访 live on the worker console's review page. */
    onReview() {
      state(this).stale = true;
      openPage(withId(ORDER_PAGES.workerReview, state(this).id));
    },

    onCall(e: WechatMiniprogram.BaseEvent) {
      const phoneNumber = String(e.currentTarget.dataset.phone || '');
      if (PHONE.test(phoneNumber)) wx.makePhoneCall({ phoneNumber, fail: () => undefined });
    },

    onPreview(e: WechatMiniprogram.BaseEvent) {
      const urls = (e.currentTarget.dataset.urls as string[]) || [];
      const current = String(e.currentTarget.dataset.current || urls[0] || '');
      if (current) wx.previewImage({ urls, current });
    },

    onShareAppMessage() {
      const s = state(this);
      const o = s.order;
      return shareCard(o ? `${o.serviceName}（${o.statusLabel}）` : '邻里帮订单', ORDER_PAGES.detail, { id: s.id });
    },

    onToOrders() {
      replacePage(ORDER_PAGES.tab);
    },
  },
});
