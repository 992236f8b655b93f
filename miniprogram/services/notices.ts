// Typed client of the `notices` cloud function.
import type { NoticesApi } from '../../cloudfunctions/notices/api';
import { client } from './core';

export type {
  BuildingStats,
  GroupBinding,
  NoticeBox,
  NoticeCategory,
  NoticeDetail,
  NoticeList,
  NoticeState,
  NoticeStats,
  NoticeSummary,
  UnreadHousehold,
} from '../../cloudfunctions/notices/api';
export type PostInput = NoticesApi['post']['input'];
export type UpdateInput = NoticesApi['update']['input'];
export type ListInput = NoticesApi['list']['input'];

/** The categories in the order the pages offer them (the function's list, repeated as values). */
export const CATEGORIES = ['通知', '停水停电', '安全提示', '活动', '议事公示'] as const;

const notices = client<NoticesApi>('notices');

export const noticesService = {
  list: (input: ListInput = {}) => notices('list', input),
  /** Opens a notice; for a resident it also records the read receipt. */
  get: (noticeId: string) => notices('get', { noticeId }),
  post: (input: PostInput) => notices('post', input),
  update: (input: UpdateInput) => notices('update', input),
  withdraw: (noticeId: string, reason?: string) => notices('withdraw', reason ? { noticeId, reason } : { noticeId }),
  stats: (noticeId: string, building?: string, page?: number) =>
    notices('stats', { noticeId, ...(building ? { building } : {}), ...(page ? { page } : {}) }),
  remind: (noticeId: string) => notices('remind', { noticeId }),
  bindGroup: (building: string, cloudId: string) => notices('bindGroup', { building, cloudId }),
  groups: () => notices('groups', {}),
};

/** A client request id for one compose session: a retried or double-tapped post creates one notice. */
export function newRequestId(): string {
  return `r${Date.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}`;
}
