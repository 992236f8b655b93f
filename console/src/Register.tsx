// 房屋台账 on the PC: the register of exclusive parts (专有部分) with a building filter, pages of 20
// and each house's verified owners count; 导入 Excel (read in the browser by header names, checked
// row by row by the function before anything is written — RegisterImport.tsx), 下载模板, 导出 (the
// whole register as .xlsx, read page by page through the function: numbers only, no names or
// phones) and the 导入记录. The same affairs actions the mini-program's register page calls.
import { useCallback, useEffect, useRef, useState } from 'react';
import { loadSheetReader, loadXlsxWriter } from './excel';
import { Alert } from 'tdesign-react/es/alert';
import { Button } from 'tdesign-react/es/button';
import { Card } from 'tdesign-react/es/card';
import { MessagePlugin } from 'tdesign-react/es/message';
import { Progress } from 'tdesign-react/es/progress';
import { Select } from 'tdesign-react/es/select';
import { Space } from 'tdesign-react/es/space';
import { Table } from 'tdesign-react/es/table';
import { Tag } from 'tdesign-react/es/tag';
import type { ImportLogView, PartView, RowCounts } from '../../cloudfunctions/affairs/api';
import { longDateTime } from '../../miniprogram/shared/clock';
import { call } from './cloud';
import { COLUMN_WIDTHS, exportRows, rowsOfSheet, templateRows } from './register-sheet';
import { Pager } from './Pager';
import { checkFile, ImportPreview, type Checked } from './RegisterImport';

/** A register of 20 000 rows is about 1 MB as .xlsx: a bigger file is something else (or a zip bomb). */
const MAX_FILE_BYTES = 10 * 1024 * 1024;

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Page n of a list, with 上一页 / 下一页 (the functions answer hasMore, not a total). */
function usePaged<T>(fetch: (page: number) => Promise<{ items: T[]; hasMore: boolean }>) {
  const [state, setState] = useState({ items: [] as T[], page: 1, hasMore: false, loading: true });
  const load = useCallback(
    async (page: number) => {
      setState((s) => ({ ...s, loading: true }));
      try {
        const res = await fetch(page);
        setState({ items: res.items, page, hasMore: res.hasMore, loading: false });
      } catch (err) {
        setState((s) => ({ ...s, loading: false }));
        void MessagePlugin.error(errorText(err));
      }
    },
    [fetch],
  );
  useEffect(() => {
    void load(1);
  }, [load]);
  return { ...state, load };
}

export function Register({ buildings }: { buildings: string[] }) {
  const [building, setBuilding] = useState<string | undefined>();
  const [checked, setChecked] = useState<Checked | null>(null);
  const [reading, setReading] = useState<number | null>(null);
  const [problem, setProblem] = useState('');
  const [result, setResult] = useState<(RowCounts & { fileName: string }) | null>(null);
  const [exporting, setExporting] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const parts = usePaged(
    useCallback((page: number) => call('affairs', 'listParts', { ...(building ? { building } : {}), page }), [building]),
  );
  const log = usePaged(useCallback((page: number) => call('affairs', 'listPartImports', { page }), []));

  const pick = async (file: File | undefined) => {
    if (input.current) input.current.value = '';
    if (!file) return;
    setProblem('');
    setResult(null);
    setChecked(null);
    if (!/\.xlsx$/i.test(file.name)) return setProblem('请选择 Excel 文件（.xlsx）；.xls 或 .csv 请先在 Excel 里另存为 .xlsx');
    if (file.size > MAX_FILE_BYTES) return setProblem('文件超过 10 MB：登记表一般不到 1 MB，请只保留房屋这一张表，另存后再导入');
    setReading(0);
    try {
      const parsed = rowsOfSheet(await (await loadSheetReader())(file));
      if (!parsed.ok) return setProblem(parsed.message);
      setChecked(await checkFile(file.name, parsed.rows, setReading));
    } catch (err) {
      setProblem(`读不了这个文件：${errorText(err)}。请确认它是 Excel 保存的 .xlsx 文件`);
    } finally {
      setReading(null);
    }
  };

  const imported = (counts: RowCounts) => {
    setResult({ ...counts, fileName: checked?.fileName ?? '' });
    setChecked(null);
    void parts.load(1);
    void log.load(1);
  };

  const template = async () => {
    await (await loadXlsxWriter())(templateRows(), { columns: COLUMN_WIDTHS.slice(0, 5) }).toFile('房屋台账模板.xlsx');
  };

  const exportAll = async () => {
    setExporting(true);
    try {
      const all: PartView[] = [];
      for (let page = 1; ; page++) {
        const res = await call('affairs', 'listParts', { page });
        all.push(...res.items);
        if (!res.hasMore) break;
      }
      await (await loadXlsxWriter())(exportRows(all), { columns: COLUMN_WIDTHS }).toFile('房屋台账.xlsx');
    } catch (err) {
      void MessagePlugin.error(errorText(err));
    } finally {
      setExporting(false);
    }
  };

  return (
    <div className="register">
      <Space className="register-toolbar" align="center" breakLine>
        <Select
          className="filter-building"
          placeholder="全部楼栋"
          clearable
          style={{ width: 160 }}
          value={building}
          onChange={(v) => setBuilding(v ? String(v) : undefined)}
          options={buildings.map((b) => ({ value: b, label: b }))}
        />
        <Button theme="primary" className="register-import" loading={reading !== null} onClick={() => input.current?.click()}>
          导入 Excel
        </Button>
        <input
          ref={input}
          type="file"
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          className="register-file"
          hidden
          onChange={(e) => void pick(e.target.files?.[0])}
        />
        <Button variant="outline" className="register-template" onClick={() => void template()}>
          下载模板
        </Button>
        <Button variant="outline" className="register-export" loading={exporting} onClick={() => void exportAll()}>
          导出
        </Button>
        <span className="register-note">表头：楼栋、房号、面积、产权人编号、开发商(是/否)；只导入房屋，不导入姓名和电话</span>
      </Space>
      {reading !== null && <Progress className="check-progress" label="正在核对…" percentage={Math.round(reading * 100)} />}
      {problem && <Alert theme="error" className="register-problem" message={problem} close onClose={() => setProblem('')} />}
      {result && (
        <Alert
          theme="success"
          className="register-result"
          close
          onClose={() => setResult(null)}
          message={`「${result.fileName}」已导入：新增 ${result.created} 套，更新 ${result.updated} 套，不变 ${result.unchanged} 套${result.errors ? `，跳过有错误的 ${result.errors} 行` : ''}。`}
        />
      )}
      {checked && <ImportPreview checked={checked} onDone={imported} onCancel={() => setChecked(null)} />}
      <Card className="register-parts" title="房屋台账" bordered>
        <Table
          rowKey="_id"
          data={parts.items}
          loading={parts.loading}
          size="small"
          empty="登记表里还没有房屋：点「导入 Excel」，或先「下载模板」"
          columns={[
            { colKey: 'building', title: '楼栋', width: 100 },
            { colKey: 'room', title: '房号', width: 120 },
            { colKey: 'area', title: '面积（㎡）', width: 120 },
            { colKey: 'holder', title: '产权人编号', width: 160, cell: ({ row }) => row.holder ?? '—' },
            { colKey: 'developer', title: '开发商未售', width: 110, cell: ({ row }) => (row.developer ? <Tag>是</Tag> : '否') },
            { colKey: 'owners', title: '已核实业主数', cell: ({ row }) => row.owners?.length ?? 0 },
          ]}
        />
        <Pager name="parts" page={parts.page} hasMore={parts.hasMore} loading={parts.loading} load={(p) => void parts.load(p)} />
      </Card>
      <Card className="register-log" title="导入记录" bordered>
        <Table
          rowKey="_id"
          data={log.items}
          loading={log.loading}
          size="small"
          empty="还没有导入过"
          columns={[
            { colKey: 'at', title: '时间', width: 170, cell: ({ row }) => longDateTime(row.at) },
            { colKey: 'fileName', title: '文件' },
            { colKey: 'byName', title: '导入人', width: 100 },
            { colKey: 'rows', title: '行数', width: 70 },
            { colKey: 'created', title: '新增', width: 70 },
            { colKey: 'updated', title: '更新', width: 70 },
            { colKey: 'unchanged', title: '不变', width: 70 },
            { colKey: 'errors', title: '有错误', width: 80 },
            { colKey: 'status', title: '状态', width: 140, cell: ({ row }) => statusText(row) },
          ]}
        />
        <Pager name="log" page={log.page} hasMore={log.hasMore} loading={log.loading} load={(p) => void log.load(p)} />
      </Card>
    </div>
  );
}

const statusText = (l: ImportLogView) => (l.status === 'done' ? '已完成' : `未完成（${l.chunksDone}/${l.chunks} 段）`);
