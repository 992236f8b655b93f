// The notices contract's plain values, without zod: api.ts re-exports them, and the PC console
// imports them from here (importing api.ts's values would bundle zod into the console).
export const NOTICE_CATEGORIES = ['通知', '停水停电', '安全提示', '活动', '议事公示'] as const;
export type NoticeCategory = (typeof NOTICE_CATEGORIES)[number];

export const TITLE_MAX = 40;
export const BODY_MAX = 2000;
export const IMAGES_MAX = 9;
