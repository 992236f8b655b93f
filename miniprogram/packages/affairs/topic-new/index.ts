// 提出议题 (征集议题, the first of 民主协商五步工作法): a title, what it is about, pictures if
// they help. One request id for the form's life: a double tap or a retry proposes once. The
// topic's page opens on success; neighbours second it there and the community takes it up.
import { topicsService, newRequestId } from '../../../services/affairs';
import { pictureSrc, uploadPicture } from '../../../services/files';
import { showError, showSuccess } from '../../../services/feedback';
import { isServiceError } from '../../../services/core';
import { privateState } from '../../../utils/state';
import { addPictures, topicUrl } from '../topic-utils';
import { pageBehavior } from '../../../utils/page-behavior';

const MAX_TITLE = 40;
const MAX_BODY = 1000;
const MAX_PHOTOS = 6;

const state = privateState(() => ({ requestId: '', title: '', body: '', photos: [] as string[], submitting: false }));

const length = (s: string) => Array.from(s.trim()).length;

Component({
  behaviors: [pageBehavior],
  data: {
    titleError: '',
    bodyError: '',
    bodyLength: 0,
    maxTitle: MAX_TITLE,
    maxBody: MAX_BODY,
    photos: [] as string[],
    maxPhotos: MAX_PHOTOS,
    submitting: false,
  },

  methods: {
    onLoad() {
      state(this).requestId = newRequestId();
    },

    onTitle(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).title = e.detail.value || '';
      if (this.data.titleError) this.setData({ titleError: '' });
    },

    onBody(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      const value = e.detail.value || '';
      state(this).body = value;
      this.setData({ bodyLength: length(value), ...(this.data.bodyError ? { bodyError: '' } : {}) });
    },

    async onAddPhoto() {
      await addPictures(
        this,
        state(this).photos,
        MAX_PHOTOS,
        (path) => uploadPicture(path, 'affairs'),
        pictureSrc,
        (err) => showError(this, err),
      );
    },

    onRemovePhoto(e: WechatMiniprogram.BaseEvent) {
      const s = state(this);
      s.photos.splice(Number(e.currentTarget.dataset.index), 1);
      this.setData({ photos: s.photos.map(pictureSrc) });
    },

    /** The form's own checks, in the words the function would use; '' fields pass. */
    check(): boolean {
      const s = state(this);
      const titleError = !length(s.title)
        ? '请写一个标题，例如：3栋楼道加装声控灯'
        : length(s.title) > MAX_TITLE
          ? `标题最多 ${MAX_TITLE} 个字，请删掉一些`
          : '';
      const bodyError = !length(s.body)
        ? '请说一说是什么事、为什么要商量'
        : length(s.body) > MAX_BODY
          ? `最多写 ${MAX_BODY} 个字，请删掉一些`
          : '';
      if (titleError || bodyError) this.setData({ titleError, bodyError });
      return !titleError && !bodyError;
    },

    async onSubmit() {
      const s = state(this);
      if (s.submitting || !this.check()) return;
      s.submitting = true;
      this.setData({ submitting: true });
      try {
        const topic = await topicsService.propose({
          title: s.title.trim(),
          body: s.body.trim(),
          requestId: s.requestId,
          ...(s.photos.length ? { images: s.photos.slice() } : {}),
        });
        showSuccess(this, '议题已提出，邻居们可以附议了');
        wx.redirectTo({ url: topicUrl(topic._id) });
      } catch (err) {
        const message = showError(this, err);
        const patch: Record<string, unknown> = { submitting: false };
        if (isServiceError(err) && (err.code === 'E_CONTENT_REJECTED' || err.code === 'E_VALIDATION')) {
          patch[message.includes('标题') ? 'titleError' : 'bodyError'] = message;
        }
        // The id already proposed something else: the next tap is a new request.
        if (isServiceError(err) && err.code === 'E_CONFLICT') s.requestId = newRequestId();
        this.setData(patch);
        s.submitting = false;
      }
    },
  },
});
