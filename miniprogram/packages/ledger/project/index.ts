// 项目详情: a project's plan and basis, its budget against what was spent (a bar), the progress
// notes with their pictures, and the approved entries charged to it (20 at a time, each opening
// its page). A worker adds a progress note with pictures; notes are never edited.
import { ledgerService, newRequestId, type EntryView, type ProjectView } from '../../../services/ledger';
import { errorMessage } from '../../../services/feedback';
import { isActiveWorker, memberService } from '../../../services/member';
import { shortDateTime } from '../../../utils/format';
import { decodeQueryValue, openPage } from '../../../utils/nav';
import { pagedList, type ListHost } from '../../../utils/paged-list';
import { isBusy, pageBehavior } from '../../../utils/page-behavior';
import { privateState } from '../../../utils/state';
import { entryUrl } from '../format';
import { addPictures, entryRow, pictures, projectRow, type EntryRow } from '../views';

const MAX_PICTURES = 9;
const state = privateState(() => ({ id: '', requestId: '', note: '', photos: [] as string[] }));

const notesOf = (p: ProjectView) =>
  p.progress
    .slice()
    .reverse()
    .map((n) => ({ id: n.id, note: n.note, meta: `${n.byName} · ${shortDateTime(n.at)}`, pictures: pictures(n.pictures) }));

/** The entries charged to the project; every page comes with the project, shown from the first. */
const list = pagedList({
  fetch: (host: ListHost, page: number) => ledgerService.project(state(host).id, page),
  rowOf: entryRow,
  idOf: (e: EntryView) => e._id,
  extra: (p, page) =>
    page === 1
      ? {
          project: {
            ...projectRow(p),
            plan: p.plan ?? '',
            basis: p.basis ?? '',
            by: `${p.createdByName} · ${shortDateTime(p.createdAt)}`,
          },
          notes: notesOf(p),
        }
      : {},
});

Component({
  behaviors: [pageBehavior],
  data: {
    isWorker: false,
    project: null as null | (ReturnType<typeof projectRow> & { plan: string; basis: string; by: string }),
    notes: [] as { id: string; note: string; meta: string; pictures: string[] }[],
    items: [] as EntryRow[],
    loading: false,
    loaded: false,
    hasMore: false,
    loadError: '',
    writing: false,
    photos: [] as string[],
    formError: '',
    busy: false,
  },

  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const s = state(this);
      s.id = decodeQueryValue(query.id);
      s.requestId = newRequestId();
      memberService
        .me()
        .then((me) => this.setData({ isWorker: isActiveWorker(me) }))
        .catch(() => undefined);
      return this.load();
    },

    load() {
      return list.reload(this);
    },

    onReachBottom() {
      return list.reachBottom(this);
    },

    onEntry(e: WechatMiniprogram.BaseEvent) {
      openPage(entryUrl(String(e.currentTarget.dataset.id)));
    },

    onStartNote() {
      this.setData({ writing: true, formError: '' });
    },
    onNote(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      state(this).note = e.detail.value || '';
    },
    async onAddPhoto() {
      await addPictures(this, state(this).photos, MAX_PICTURES, (err) => this.setData({ formError: errorMessage(err) }));
    },

    async onSaveNote() {
      const s = state(this);
      if (isBusy(this)) return;
      if (!s.note.trim()) return this.setData({ formError: '请写下进度，例如：已完成3栋1—3层粉刷' });
      this.setData({ formError: '' });
      await this.act(
        () =>
          ledgerService.progress({
            projectId: s.id,
            note: s.note.trim(),
            ...(s.photos.length ? { pictures: s.photos.slice() } : {}),
            requestId: s.requestId,
          }),
        '进度已公开',
        (p) => {
          s.requestId = newRequestId();
          s.note = '';
          s.photos = [];
          this.setData({ writing: false, photos: [], notes: notesOf(p), 'project.spent': projectRow(p).spent });
        },
      );
    },

    onPreview(e: WechatMiniprogram.BaseEvent) {
      wx.previewImage({ current: String(e.currentTarget.dataset.src), urls: [String(e.currentTarget.dataset.src)] });
    },
  },
});
