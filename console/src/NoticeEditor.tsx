// 写通知 / 修改 on the PC: title, body (plain text with line breaks — what the mini-program shows,
// previewed live beside the form), category, audience (全体居民 or chosen buildings), pinned, expiry
// and a publishing time; 保存草稿 or 发布. A draft or a scheduled notice is edited with `update`
// (its images, added on a phone, are kept as they are: the console does not upload pictures). A
// refusal that names a field (content check, validation) shows under that field.
import { useState } from 'react';
import { Button } from 'tdesign-react/es/button';
import { Card } from 'tdesign-react/es/card';
import { Checkbox } from 'tdesign-react/es/checkbox';
import { DatePicker } from 'tdesign-react/es/date-picker';
import { Input } from 'tdesign-react/es/input';
import { MessagePlugin } from 'tdesign-react/es/message';
import { Radio } from 'tdesign-react/es/radio';
import { Space } from 'tdesign-react/es/space';
import { Switch } from 'tdesign-react/es/switch';
import { Tag } from 'tdesign-react/es/tag';
import { Textarea } from 'tdesign-react/es/textarea';
import type { NoticeDetail } from '../../cloudfunctions/notices/api';
// Values from constants.ts, not api.ts: api.ts would bundle zod (~450 KB) into the console.
import { BODY_MAX, NOTICE_CATEGORIES, TITLE_MAX, type NoticeCategory } from '../../cloudfunctions/notices/constants';
import { instantOf, isoText } from '../../miniprogram/shared/clock';
import { call, CloudError } from './cloud';
import { whenText } from './notice-format';

type Field = 'title' | 'body' | 'buildings' | 'expiresAt' | 'publishAt' | 'general';
type Errors = Partial<Record<Field, string>>;
type Box = 'sent' | 'scheduled' | 'drafts';

/** Which field a function's sentence names (「标题」含有不当内容…, 有效期格式不对…). */
const FIELD_WORDS: [Field, RegExp][] = [
  ['title', /标题/],
  ['body', /正文|内容/],
  ['buildings', /楼栋/],
  ['expiresAt', /有效期|过期/],
  ['publishAt', /发布时间|定时/],
];
const fieldOf = (message: string): Field => FIELD_WORDS.find(([, re]) => re.test(message))?.[0] ?? 'general';

const newRequestId = () =>
  `console-${(crypto.randomUUID?.() ?? `${Date.now()}-${Math.random()}`).replace(/[^A-Za-z0-9-]/g, '')}`.slice(0, 60);

/** `YYYY-MM-DD HH:mm` (the picker's text, community time) → an ISO instant with +08:00. */
const pickedInstant = (v: string): string | undefined =>
  v ? isoText(instantOf(v.slice(0, 10), v.slice(11, 16) || '00:00')) : undefined;

export function NoticeEditor(props: { buildings: string[]; notice?: NoticeDetail; onDone: (box?: Box) => void }) {
  const n = props.notice;
  const [title, setTitle] = useState(n?.title ?? '');
  const [body, setBody] = useState(n?.body ?? '');
  const [category, setCategory] = useState<NoticeCategory>(n?.category ?? '通知');
  const [whole, setWhole] = useState(!n || n.buildings.length === 0);
  const [chosen, setChosen] = useState<string[]>(n?.buildings ?? []);
  const [pinned, setPinned] = useState(n?.pinned ?? false);
  const [expiry, setExpiry] = useState(n?.expiresAt ? whenText(n.expiresAt) : '');
  const [scheduled, setScheduled] = useState(n?.state === 'scheduled');
  const [publishAt, setPublishAt] = useState(n?.state === 'scheduled' && n.publishAt ? whenText(n.publishAt) : '');
  const [errors, setErrors] = useState<Errors>({});
  const [busy, setBusy] = useState<'draft' | 'publish' | null>(null);
  const [requestId, setRequestId] = useState(newRequestId);

  const check = (draft: boolean): Errors => {
    const e: Errors = {};
    if (!title.trim()) e.title = '请填写标题';
    if (!body.trim()) e.body = '请填写正文';
    if (!whole && chosen.length === 0) e.buildings = '请至少选择一栋楼，或选“全体居民”';
    if (!draft && scheduled && !publishAt) e.publishAt = '请选择定时发布的时间';
    return e;
  };

  const save = async (draft: boolean) => {
    if (busy) return;
    const local = check(draft);
    setErrors(local);
    if (Object.keys(local).length) return;
    setBusy(draft ? 'draft' : 'publish');
    const fields = {
      title: title.trim(),
      body,
      category,
      buildings: whole ? [] : props.buildings.filter((b) => chosen.includes(b)),
      pinned,
      ...(expiry ? { expiresAt: pickedInstant(expiry) } : {}),
      ...(scheduled && publishAt ? { publishAt: pickedInstant(publishAt) } : {}),
      ...(n?.images.length ? { images: n.images } : {}),
      ...(draft ? { draft: true } : {}),
    };
    try {
      const saved = n
        ? await call('notices', 'update', { noticeId: n._id, ...fields })
        : await call('notices', 'post', { ...fields, requestId });
      void MessagePlugin.success(draft ? '草稿已保存' : saved.state === 'scheduled' ? '已定时发布' : '已发布');
      props.onDone(draft ? 'drafts' : saved.state === 'scheduled' ? 'scheduled' : 'sent');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof CloudError && (err.code === 'E_CONTENT_REJECTED' || err.code === 'E_VALIDATION')) {
        setErrors({ [fieldOf(message)]: message });
      } else {
        setErrors({ general: message });
        void MessagePlugin.error(message);
        // The request id was used for other content (or the notice moved on): the next try is a new request.
        if (err instanceof CloudError && err.code === 'E_CONFLICT') setRequestId(newRequestId());
      }
    } finally {
      setBusy(null);
    }
  };

  /** A change of a field clears what was said about it. */
  const changed =
    <T,>(f: Field, set: (v: T) => void) =>
    (v: T) => {
      set(v);
      if (errors[f]) setErrors(({ [f]: _gone, ...rest }) => rest);
    };

  const tip = (f: Field) => (errors[f] ? <div className={`field-error error-${f}`}>{errors[f]}</div> : null);

  return (
    <div className="notice-editor">
      <Space align="center" className="editor-head editor-top">
        <Button variant="text" className="back" onClick={() => props.onDone()}>
          ‹ 返回列表
        </Button>
        <strong>{n ? (n.state === 'scheduled' ? '修改定时通知' : '修改草稿') : '写通知'}</strong>
        <Space className="editor-actions">
          <Button theme="primary" className="publish" loading={busy === 'publish'} onClick={() => void save(false)}>
            {scheduled ? '定时发布' : '发布'}
          </Button>
          <Button variant="outline" className="save-draft" loading={busy === 'draft'} onClick={() => void save(true)}>
            保存草稿
          </Button>
        </Space>
      </Space>
      <div className="editor-columns">
        <Card className="editor-form">
          <label className="field-label">标题</label>
          <Input
            className="title-input"
            placeholder="例如：3栋明日停水通知"
            maxlength={TITLE_MAX}
            showLimitNumber
            value={title}
            status={errors.title ? 'error' : 'default'}
            onChange={(v) => changed('title', setTitle)(String(v))}
          />
          {tip('title')}

          <label className="field-label">正文</label>
          <Textarea
            className="body-input"
            placeholder="写清楚时间、地点、要做什么。换行会原样显示，不支持加粗、链接等格式。"
            maxlength={BODY_MAX}
            autosize={{ minRows: 6, maxRows: 14 }}
            value={body}
            status={errors.body ? 'error' : 'default'}
            onChange={(v) => changed('body', setBody)(String(v))}
          />
          {tip('body')}

          <label className="field-label">分类</label>
          <Radio.Group
            className="category-input"
            variant="default-filled"
            value={category}
            onChange={(v) => setCategory(v as NoticeCategory)}
          >
            {NOTICE_CATEGORIES.map((c) => (
              <Radio.Button key={c} value={c}>
                {c}
              </Radio.Button>
            ))}
          </Radio.Group>

          <label className="field-label">发给谁</label>
          <Radio.Group className="audience-input" value={whole ? 'whole' : 'buildings'} onChange={(v) => setWhole(v === 'whole')}>
            <Radio value="whole">全体居民</Radio>
            <Radio value="buildings">指定楼栋</Radio>
          </Radio.Group>
          {!whole && (
            <div className="building-row">
              <Checkbox.Group
                className="building-input"
                value={chosen}
                onChange={(v) => changed('buildings', setChosen)(v as string[])}
                options={props.buildings.map((b) => ({ label: b, value: b }))}
              />
            </div>
          )}
          {tip('buildings')}

          <Space className="row-input" align="center">
            <label className="field-label inline">置顶</label>
            <Switch className="pinned-input" value={pinned} onChange={(v) => setPinned(Boolean(v))} />
            <span className="hint">置顶的通知排在居民列表最前面</span>
          </Space>

          <label className="field-label">有效期（选填，过期后居民列表里不再显示）</label>
          <DatePicker
            className="expiry-input"
            enableTimePicker
            allowInput
            clearable
            format="YYYY-MM-DD HH:mm"
            value={expiry}
            onChange={(v) => changed('expiresAt', setExpiry)(String(v ?? ''))}
            placeholder="不设有效期"
          />
          {tip('expiresAt')}

          <label className="field-label">发布时间</label>
          <Radio.Group
            className="schedule-input"
            value={scheduled ? 'later' : 'now'}
            onChange={(v) => setScheduled(v === 'later')}
          >
            <Radio value="now">立即发布</Radio>
            <Radio value="later">定时发布</Radio>
          </Radio.Group>
          {scheduled && (
            <DatePicker
              className="publish-at-input"
              enableTimePicker
              allowInput
              format="YYYY-MM-DD HH:mm"
              value={publishAt}
              onChange={(v) => changed('publishAt', setPublishAt)(String(v ?? ''))}
              placeholder="选择发布时间（90 天内）"
            />
          )}
          {tip('publishAt')}
          {n?.images.length ? (
            <p className="hint">这条通知有 {n.images.length} 张图片（在手机上添加），保存时保留；电脑端暂不能添加图片。</p>
          ) : null}
          {tip('general')}
        </Card>
        <Preview
          title={title}
          body={body}
          category={category}
          pinned={pinned}
          audience={whole ? '全体居民' : chosen.join('、') || '（未选楼栋）'}
        />
      </div>
    </div>
  );
}

/** The notice as a resident's phone shows it: plain text, line breaks kept, nothing interpreted. */
function Preview(props: { title: string; body: string; category: string; pinned: boolean; audience: string }) {
  return (
    <div className="notice-preview">
      <div className="preview-caption">居民看到的样子</div>
      <div className="phone">
        <div className="phone-head">
          <Space size={6}>
            <Tag theme="primary" variant="light">
              {props.category}
            </Tag>
            {props.pinned && (
              <Tag theme="danger" variant="light">
                置顶
              </Tag>
            )}
          </Space>
          <div className="preview-title">{props.title || '（标题）'}</div>
          <div className="preview-meta">发给 {props.audience}</div>
        </div>
        <div className="preview-body">{props.body || '（正文）'}</div>
      </div>
    </div>
  );
}
