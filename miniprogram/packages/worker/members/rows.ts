// What a member card of the worker console shows: who, where, whether the room is proven and how,
// the tags with how each was verified, and the roles. Only the worker subpackage uses it.
import type { HouseholdStatus, MemberStatus, MemberView, Tag } from '../../../services/member';
import { isElder } from '../../../utils/elder';
import { addressText, dateTimeText, maskPhone, roleText, shortDateTime } from '../../../utils/format';

/** The special-group tags, in the order the card and the editor show them (product.md §1). */
export const TAG_CHOICES: Tag[] = ['独居老人', '高龄', '残疾', '低保', '优抚'];

/** One tag chip of the editor: whether it is on in the draft. */
export interface TagChip {
  tag: Tag;
  on: boolean;
}

export interface MemberRow {
  name: string;
  address: string;
  phone: string;
  joined: string;
  roles: string;
  /** The row's status now: a pending row becomes active / rejected once handled here. */
  status: MemberStatus;
  household: HouseholdStatus;
  householdLabel: string;
  /** How the room was proven or disputed, by whom and when ('' when claimed). */
  householdProof: string;
  /** 独居老人（入户走访 · 李梅 12月1日）、高龄 */
  tagText: string;
  volunteer: boolean;
  worker: boolean;
  /** 长辈模式 is on for them (their setting, or the default of 高龄 / 独居老人). */
  elderOn: boolean;
  /** 长辈模式 as set: 已打开 / 已关闭 / 按标签（已打开） … */
  elderText: string;
  /** Staff of the property company (物业人员, docs/property.md). */
  staff: boolean;
  /** The editor (tags, roles, room) is open. */
  open: boolean;
  draft: TagChip[];
  busy: boolean;
}

/** How the room proof reads: 查看房产证 · 李梅 · 12月1日 10:00, 家人孙伟确认, 孙伟表示不是家人. */
export function householdProofText(m: MemberView): string {
  const h = m.household;
  const when = shortDateTime(h.at);
  if (h.status === 'claimed' || !h.via) return '';
  if (h.status === 'disputed') return [`${h.byName ?? '家人'}表示不是家人`, when].filter(Boolean).join(' · ');
  if (h.via === 'household') return [`家人${h.byName ?? ''}确认`, when].filter(Boolean).join(' · ');
  return [h.note || '工作人员核实', h.byName, when].filter(Boolean).join(' · ');
}

export function tagText(m: MemberView): string {
  return m.tags
    .map((tag) => {
      const proof = m.tagProofs?.find((p) => p.tag === tag);
      if (!proof) return tag;
      const how = [proof.note, `${proof.byName} ${shortDateTime(proof.at)}`].filter(Boolean).join(' · ');
      return `${tag}（${how}）`;
    })
    .join('、');
}

export const draftOf = (tags: readonly Tag[]): TagChip[] => TAG_CHOICES.map((tag) => ({ tag, on: tags.includes(tag) }));

export function rowOf(m: MemberView): MemberRow {
  return {
    name: m.name,
    address: addressText(m.building, m.room),
    phone: maskPhone(m.phone),
    joined: dateTimeText(m.joinedAt),
    roles: roleText(m.roles),
    status: m.status,
    household: m.household.status,
    householdLabel: m.household.statusLabel,
    householdProof: householdProofText(m),
    tagText: tagText(m),
    volunteer: m.roles.includes('volunteer'),
    worker: m.roles.includes('worker'),
    elderOn: isElder(m),
    elderText: `${isElder(m) ? '已打开' : '已关闭'}${m.elderMode === 'auto' ? '（按标签）' : ''}`,
    staff: m.roles.includes('property'),
    open: false,
    draft: draftOf(m.tags),
    busy: false,
  };
}
