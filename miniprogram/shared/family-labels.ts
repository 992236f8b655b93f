// 亲情代办's words, defined once for the functions and the pages (docs/family.md).

/** requested → active (the elder or a worker confirmed) | declined; requested | active → ended. */
export const FAMILY_STATUSES = ['requested', 'active', 'declined', 'ended'] as const;
export type FamilyStatus = (typeof FAMILY_STATUSES)[number];

export const FAMILY_STATUS_LABELS: Record<FamilyStatus, string> = {
  requested: '待确认',
  active: '已绑定',
  declined: '未同意',
  ended: '已解除',
};

/** How the relative is related to the elder (picked, not typed). */
export const RELATIONS = ['女儿', '儿子', '儿媳', '女婿', '孙子女', '外孙子女', '兄弟姐妹', '其他亲属'] as const;
export type Relation = (typeof RELATIONS)[number];
