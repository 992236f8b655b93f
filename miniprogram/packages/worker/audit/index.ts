// Worker console: the community's audit log (操作记录), newest first, 20 at a time. Tapping a
// person shows only what they did, tapping an object only what happened to it, and a date
// picker narrows to one day (the community's clock); the filters combine and clear one by one.
import { dateText } from '../../../shared/clock';
import { memberService, type AuditLogInput, type AuditRow } from '../../../services/member';
import { dateTimeText } from '../../../utils/format';
import { pagedList, type ListHost } from '../../../utils/paged-list';
import { pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';

/** What a row shows; the actor's openid and the target stay in private state. */
interface Row {
  who: string;
  system: boolean;
  label: string;
  object: string;
  changes: string[];
  note: string;
  when: string;
}

/** The filters' ids, kept out of setData; their labels are in `data`. */
const filters = privateState(() => ({ actor: '', target: '' }));

const changeText = (c: AuditRow['changes'][number]) => `${c.field}：${c.before} → ${c.after}`;

function rowOf(r: AuditRow): Row {
  return {
    who: r.actorName,
    system: r.actor === 'system:timer',
    label: r.label,
    object: r.targetLabel,
    changes: r.changes.map(changeText),
    note: r.note ?? '',
    when: dateTimeText(r.at),
  };
}

/** The rows' [actor, actorName, target, targetLabel] by index, for the taps. */
const refs = privateState(() => ({ rows: [] as [string, string, string, string][] }));

function inputOf(host: ListHost<{ day: string }>, page: number): AuditLogInput {
  const f = filters(host);
  const input: AuditLogInput = { page };
  if (f.actor) input.actor = f.actor;
  if (f.target) input.target = f.target;
  if (host.data.day) input.day = host.data.day;
  return input;
}

const list = pagedList({
  fetch: (host: ListHost<{ day: string }>, page: number) => memberService.auditLog(inputOf(host, page)),
  rowOf: (r: AuditRow, host) => {
    refs(host).rows.push([r.actor, r.actorName, r.target, r.targetLabel]);
    return rowOf(r);
  },
  idOf: (r: AuditRow) => r._id,
});

Component({
  behaviors: [pageBehavior],
  data: {
    items: [] as Row[],
    actorName: '',
    targetLabel: '',
    day: '',
    today: '',
    loading: false,
    hasMore: false,
    loaded: false,
    loadError: '',
  },

  methods: {
    onLoad() {
      this.setData({ today: dateText(Date.now()) });
      return this.reload();
    },

    onReachBottom() {
      return list.reachBottom(this);
    },

    reload() {
      refs(this).rows = [];
      return list.reload(this);
    },

    loadMore() {
      return list.loadMore(this);
    },

    /** Only this person's changes. */
    onPickActor(e: WechatMiniprogram.BaseEvent) {
      const ref = refs(this).rows[Number(e.currentTarget.dataset.index)];
      if (!ref || ref[0] === filters(this).actor) return undefined;
      filters(this).actor = ref[0];
      this.setData({ actorName: ref[1] });
      return this.reload();
    },

    /** Everything that happened to this object. */
    onPickTarget(e: WechatMiniprogram.BaseEvent) {
      const ref = refs(this).rows[Number(e.currentTarget.dataset.index)];
      if (!ref || ref[2] === filters(this).target) return undefined;
      filters(this).target = ref[2];
      this.setData({ targetLabel: ref[3] });
      return this.reload();
    },

    onPickDay(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const day = e.detail.value;
      if (!day || day === this.data.day) return undefined;
      this.setData({ day });
      return this.reload();
    },

    onClearActor() {
      filters(this).actor = '';
      this.setData({ actorName: '' });
      return this.reload();
    },

    onClearTarget() {
      filters(this).target = '';
      this.setData({ targetLabel: '' });
      return this.reload();
    },

    onClearDay() {
      this.setData({ day: '' });
      return this.reload();
    },
  },
});
