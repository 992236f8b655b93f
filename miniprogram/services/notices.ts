// Typed client of the `notices` cloud function, and the picture upload of the compose page.
import type { NoticesApi } from '../../cloudfunctions/notices/api';
import { client, localCloud, ServiceError } from './core';

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

  /**
   * Uploads a chosen picture to cloud storage and answers its file id (`cloud://…`). The local
   * cloud has no storage, so there the compose page says pictures need the real environment.
   */
  async uploadImage(tempFilePath: string): Promise<string> {
    if (localCloud()) throw new ServiceError('E_VALIDATION', '本地开发环境不能上传图片，请在正式环境中添加图片');
    const ext = (/\.[A-Za-z0-9]{1,5}$/.exec(tempFilePath) || ['.jpg'])[0];
    const name = `notices/${Date.now()}-${Math.floor(Math.random() * 1e8)}${ext}`;
    try {
      const res = await wx.cloud.uploadFile({ cloudPath: name, filePath: tempFilePath });
      return res.fileID;
    } catch (err) {
      console.warn('[services] notice image upload failed', err);
      throw new ServiceError('E_NETWORK', '图片上传失败，请检查网络后再试一次');
    }
  },
};

/** A client request id for one compose session: a retried or double-tapped post creates one notice. */
export function newRequestId(): string {
  return `r${Date.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}`;
}
