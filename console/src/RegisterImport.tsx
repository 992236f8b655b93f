// 房屋台账 › 导入 Excel: the file read in the browser, every row checked by the affairs function
// (checkParts, the dry run: nothing written), the outcome of each row by its Excel row number —
// 新增 / 更新 / 不变 / the problems to fix — then 确认导入: the rows without errors in chunks of 200
// under one import id (importPartRows; a chunk retried after a network error writes nothing twice).
import { useMemo, useState } from 'react';
import { Alert } from 'tdesign-react/es/alert';
import { Button } from 'tdesign-react/es/button';
import { Card } from 'tdesign-react/es/card';
import { Progress } from 'tdesign-react/es/progress';
import { Space } from 'tdesign-react/es/space';
import { Switch } from 'tdesign-react/es/switch';
import { Table } from 'tdesign-react/es/table';
import { Tag } from 'tdesign-react/es/tag';
import type { AffairsApi, CheckResult, RowCheck, RowCounts } from '../../cloudfunctions/affairs/api';
import { call, CloudError } from './cloud';
import { chunksOf, newImportId, type SheetRow } from './register-sheet';

export interface Checked {
  fileName: string;
  rows: SheetRow[];
  items: RowCheck[];
  counts: RowCounts;
}

const OUTCOME: Record<RowCheck['outcome'], { label: string; theme: 'success' | 'primary' | 'default' | 'danger' }> = {
  create: { label: '新增', theme: 'success' },
  update: { label: '更新', theme: 'primary' },
  unchanged: { label: '不变', theme: 'default' },
  error: { label: '有错误', theme: 'danger' },
};

/** A file of thousands of rows is previewed a page at a time. */
const PREVIEW_PAGE = 100;

const sum = (results: RowCounts[]): RowCounts => ({
  rows: results.reduce((n, r) => n + r.rows, 0),
  created: results.reduce((n, r) => n + r.created, 0),
  updated: results.reduce((n, r) => n + r.updated, 0),
  unchanged: results.reduce((n, r) => n + r.unchanged, 0),
  errors: results.reduce((n, r) => n + r.errors, 0),
});

/** The dry run of a whole file, chunk by chunk; `progress` gets the share done. */
export async function checkFile(fileName: string, rows: SheetRow[], progress: (share: number) => void): Promise<Checked> {
  const chunks = chunksOf(rows);
  const results: CheckResult[] = [];
  for (const [i, chunk] of chunks.entries()) {
    results.push(await call('affairs', 'checkParts', { rows: chunk }));
    progress((i + 1) / chunks.length);
  }
  return { fileName, rows, items: results.flatMap((r) => r.items), counts: sum(results) };
}

/** One chunk, tried again after a network error with the same import id (the function writes it once). */
async function importChunk(input: AffairsApi['importPartRows']['input']) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call('affairs', 'importPartRows', input);
    } catch (err) {
      if (!(err instanceof CloudError) || err.code !== 'E_NETWORK' || attempt >= 3) throw err;
    }
  }
}

export function ImportPreview(props: { checked: Checked; onDone: (result: RowCounts) => void; onCancel: () => void }) {
  const { checked, onDone, onCancel } = props;
  const [onlyErrors, setOnlyErrors] = useState(checked.counts.errors > 0);
  const [busy, setBusy] = useState(false);
  const [share, setShare] = useState(0);
  const [failure, setFailure] = useState('');
  const { counts } = checked;
  const good = counts.rows - counts.errors;
  const shown = useMemo(
    () => (onlyErrors ? checked.items.filter((i) => i.outcome === 'error') : checked.items),
    [checked, onlyErrors],
  );

  const confirm = async () => {
    setBusy(true);
    setFailure('');
    const importId = newImportId();
    const chunks = chunksOf(checked.rows);
    const results: RowCounts[] = [];
    try {
      for (const [i, rows] of chunks.entries()) {
        results.push(await importChunk({ importId, fileName: checked.fileName, chunk: i + 1, chunks: chunks.length, rows }));
        setShare((i + 1) / chunks.length);
      }
      onDone(sum(results));
    } catch (err) {
      setFailure(
        `${err instanceof Error ? err.message : String(err)}（已导入 ${results.length}/${chunks.length} 段；再点一次「确认导入」会从头核对，已导入的行不会重复写入）`,
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className="register-preview" title={`导入预览 · ${checked.fileName}`} bordered>
      <Space className="preview-counts" align="center">
        <span data-count="rows">共 {counts.rows} 行</span>
        <Tag theme="success" data-count="created">
          新增 {counts.created}
        </Tag>
        <Tag theme="primary" data-count="updated">
          更新 {counts.updated}
        </Tag>
        <Tag data-count="unchanged">不变 {counts.unchanged}</Tag>
        <Tag theme="danger" data-count="errors">
          有错误 {counts.errors}
        </Tag>
        <Switch value={onlyErrors} onChange={(v) => setOnlyErrors(Boolean(v))} className="only-errors" />
        <span>只看有错误的行</span>
      </Space>
      {counts.errors > 0 && (
        <Alert
          theme="warning"
          className="preview-hint"
          message={`有 ${counts.errors} 行有错误：可以在 Excel 里按行号改好后重新选择文件；也可以先导入其余 ${good} 行，有错误的行会跳过，改好后再导入一次（已导入的行显示为「不变」）。`}
        />
      )}
      <Table
        rowKey="line"
        className="preview-table"
        data={shown}
        maxHeight={360}
        pagination={shown.length > PREVIEW_PAGE ? { defaultCurrent: 1, defaultPageSize: PREVIEW_PAGE } : undefined}
        size="small"
        empty="没有有错误的行"
        columns={[
          { colKey: 'line', title: 'Excel 行号', width: 100 },
          { colKey: 'building', title: '楼栋', width: 90 },
          { colKey: 'room', title: '房号', width: 100 },
          {
            colKey: 'outcome',
            title: '结果',
            width: 90,
            cell: ({ row }) => <Tag theme={OUTCOME[row.outcome].theme}>{OUTCOME[row.outcome].label}</Tag>,
          },
          {
            colKey: 'detail',
            title: '说明',
            cell: ({ row }) => (
              <span className={row.outcome === 'error' ? 'row-errors' : 'row-changes'}>
                {(row.errors ?? row.changes ?? []).join('；') || '—'}
              </span>
            ),
          },
        ]}
      />
      {busy && <Progress className="import-progress" percentage={Math.round(share * 100)} />}
      {failure && <Alert theme="error" className="import-failure" message={failure} />}
      <Space className="preview-actions">
        <Button theme="primary" className="register-confirm" loading={busy} disabled={good === 0} onClick={() => void confirm()}>
          {counts.errors > 0 ? `跳过 ${counts.errors} 行有错误的，导入其余 ${good} 行` : `确认导入 ${good} 行`}
        </Button>
        <Button variant="outline" className="register-cancel" disabled={busy} onClick={onCancel}>
          取消
        </Button>
      </Space>
    </Card>
  );
}
