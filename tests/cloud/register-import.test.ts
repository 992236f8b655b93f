// 房屋台账 import (docs/votes.md "The register", docs/console.md): the dry run answers every row's
// outcome or its problems and writes nothing; the chunked import skips rows with errors, writes a
// retried chunk once (also after a crash between the plan and the writes, and when retries race),
// keeps one log per file, audits each chunk; residents are refused; another community sees nothing.
import type { DataCallRecord, LocalCloud } from '../../local/cloud';
import { seedIfEmpty } from '../../local/seed';
import type { AffairsApi } from '../../cloudfunctions/affairs/api';
import { collection } from '../../cloudfunctions/common/db';
import { importDocId, PART_IMPORTS } from '../../cloudfunctions/affairs/model-register';
import { partId } from '../../cloudfunctions/affairs/model-votes';
import { startTestCloud } from '../helpers/local';
import { caller, data, errorCode, refusal } from '../helpers/call';
import { snapshot } from '../helpers/snapshot';
import { forgetLimits } from '../helpers/limits';

const W = 'demo-worker';
let cloud: LocalCloud;
let call: ReturnType<typeof caller<AffairsApi>>;
const calls: DataCallRecord[] = [];

beforeAll(async () => {
  cloud = await startTestCloud({ observe: { dataCall: (r) => calls.push(r) } });
  await seedIfEmpty(cloud);
  call = caller<AffairsApi>(cloud, 'affairs');
});
afterAll(() => cloud.close());
beforeEach(forgetLimits);

type Row = AffairsApi['checkParts']['input']['rows'][number];
const row = (line: number, building: Row['building'], room: Row['room'], area: Row['area'], more: Partial<Row> = {}): Row => ({
  line,
  building,
  room,
  area,
  ...more,
});
const countParts = async () => (await collection('parts').where({ communityId: 'demo' }).count()).total;

describe('checkParts (the dry run)', () => {
  it('answers each row with its outcome or its problems, by line, and writes nothing', async () => {
    const before = await snapshot();
    const res = data(
      await call(W, 'checkParts', {
        rows: [
          row(2, '1栋', 'R101', '89.56', { holder: 'H-001' }),
          row(3, '1栋', '101', '80'), // the demo's 1栋 101: exists
          row(4, '9栋', 'R102', '70'),
          row(5, '2栋', '12/3', '70'),
          row(6, '2栋', 'R103', '10.123'),
          row(7, '2栋', 'R104', 0),
          row(8, '2栋', 'R105', -5),
          row(9, '2栋', 'R106', 'abc'),
          row(10, '3栋', 'R107', 120.5, { holder: 'H 1' }),
          row(11, '3栋', 'R108', 60, { developer: '也许' }),
          row(12, '3栋', 'R109', 60),
          row(13, '3栋', 'R109', 61),
          row(14, '4栋', 1201, 88.8, { developer: '是', holder: 12345 }),
          row(15, '4栋', 'R110', 50, { dupLines: [402] }),
          row(16, '', '', ''),
        ],
      }),
    );
    expect(await snapshot()).toEqual(before);
    const by = new Map(res.items.map((i) => [i.line, i]));
    expect(by.get(2)).toMatchObject({ outcome: 'create', building: '1栋', room: 'R101' });
    expect(by.get(3)!.outcome).toMatch(/^(update|unchanged)$/);
    expect(by.get(4)!.errors!.join()).toContain('楼栋「9栋」不在本社区');
    expect(by.get(5)!.errors!.join()).toContain('房号「12/3」格式不对');
    expect(by.get(6)!.errors!.join()).toContain('最多两位小数');
    expect(by.get(7)!.errors!.join()).toContain('面积不能为 0');
    expect(by.get(8)!.errors!.join()).toContain('面积「-5」不对');
    expect(by.get(9)!.errors!.join()).toContain('面积「abc」不对');
    expect(by.get(10)!.errors!.join()).toContain('产权人编号「H 1」格式不对');
    expect(by.get(11)!.errors!.join()).toContain('只能填「是」或「否」');
    expect(by.get(12)!.errors).toEqual(['与第 13 行是同一套房屋（3栋 R109），请只留一行']);
    expect(by.get(13)!.errors).toEqual(['与第 12 行是同一套房屋（3栋 R109），请只留一行']);
    expect(by.get(14)).toMatchObject({ outcome: 'create', room: '1201' });
    expect(by.get(15)!.errors).toEqual(['与第 402 行是同一套房屋（4栋 R110），请只留一行']);
    expect(by.get(16)!.errors).toEqual(expect.arrayContaining(['楼栋没有填', '房号没有填']));
    expect(res).toMatchObject({ rows: 15, created: 2, errors: 12 });
    expect(res.created + res.updated + res.unchanged + res.errors).toBe(15);
  });

  it('says what an update changes', async () => {
    const res = data(await call(W, 'checkParts', { rows: [row(2, '1栋', '101', '99.5', { holder: 'X1', developer: true })] }));
    expect(res.items[0].outcome).toBe('update');
    expect(res.items[0].changes!.join('；')).toMatch(/面积 .* → 99\.5.*产权人编号 .* → X1.*开发商 否 → 是/);
  });

  it('refuses the structure as a whole only: too many rows, wrong types', async () => {
    const many = Array.from({ length: 201 }, (_, i) => row(i + 2, '1栋', `Z${i}`, '50'));
    expect(refusal(await call(W, 'checkParts', { rows: many }))).toMatchObject({ code: 'E_VALIDATION' });
    expect(
      errorCode(
        await cloud.invoke(
          'affairs',
          { action: 'checkParts', payload: { rows: [{ line: 2, building: {}, room: '1', area: '1' }] } },
          W,
        ),
      ),
    ).toBe('E_VALIDATION');
  });
});

describe('importPartRows (chunks under one import id)', () => {
  const file = Array.from({ length: 450 }, (_, i) => row(i + 2, `${(i % 5) + 1}栋`, `T${1000 + i}`, `${60 + (i % 40)}.5`));
  file[7] = row(9, '7栋', 'T-bad', '60'); // one error, skipped
  const chunks = [file.slice(0, 200), file.slice(200, 400), file.slice(400)];
  const send = (n: number, importId = 'import-file-0001', fileName = '台账.xlsx') =>
    call(W, 'importPartRows', { importId, fileName, chunk: n, chunks: 3, rows: chunks[n - 1] });

  it('imports the good rows, skips the bad, and a retried chunk writes nothing', async () => {
    const parts0 = await countParts();
    const first = data(await send(1));
    expect(first).toMatchObject({ chunk: 1, rows: 200, created: 199, errors: 1, errorLines: [9], repeated: false });
    expect(first.log).toMatchObject({ status: 'partial', chunksDone: 1, chunks: 3, byName: '李梅', fileName: '台账.xlsx' });
    const before = await snapshot();
    const again = data(await send(1));
    expect(again).toMatchObject({ created: 199, errors: 1, repeated: true });
    const after = await snapshot();
    delete (before as Record<string, unknown>).rate_limits;
    delete (after as Record<string, unknown>).rate_limits;
    expect(after).toEqual(before);
    // Five racing retries of chunk 2: one write, one record.
    const raced = (await Promise.all(Array.from({ length: 5 }, () => send(2)))).map(data);
    expect(raced.filter((r) => !r.repeated)).toHaveLength(1);
    expect(raced.every((r) => r.created === 200)).toBe(true);
    const last = data(await send(3));
    expect(last.log).toMatchObject({ status: 'done', chunksDone: 3, rows: 450, created: 449, errors: 1, updated: 0 });
    expect(await countParts()).toBe(parts0 + 449);
    expect(
      (
        await collection('parts')
          .where({ _id: partId('demo', '7栋', 'T-bad') })
          .count()
      ).total,
    ).toBe(0);
    const audits = (await collection('audit').where({ what: 'affairs.importPartRows' }).get()).data as {
      after: { chunk: number };
    }[];
    expect(audits.map((a) => a.after.chunk).sort()).toEqual([1, 2, 3]);
  });

  it('a file that changes areas updates each part once, and says so', async () => {
    const changed = chunks[0].map((r) => ({ ...r, area: '99.9' }));
    const res = data(
      await call(W, 'importPartRows', {
        importId: 'import-update-0001',
        fileName: '改面积.xlsx',
        chunk: 1,
        chunks: 1,
        rows: changed,
      }),
    );
    expect(res).toMatchObject({ rows: 200, updated: 199, created: 0, unchanged: 0, errors: 1 });
    const stored = (
      await collection('parts')
        .where({ _id: partId('demo', '1栋', 'T1000') })
        .get()
    ).data as { area: number; version: number }[];
    expect(stored[0]).toMatchObject({ area: 9990, version: 2 });
    const dry = data(await call(W, 'checkParts', { rows: changed }));
    expect(dry).toMatchObject({ unchanged: 199, errors: 1 });
  });

  it('a chunk whose plan was recorded but whose writes were lost is finished by its retry, counted once', async () => {
    const id = 'import-crash-0001';
    data(
      await call(W, 'importPartRows', {
        importId: id,
        fileName: '补录.xlsx',
        chunk: 1,
        chunks: 1,
        rows: [row(2, '5栋', 'C1', '70'), row(3, '5栋', 'C2', '71')],
      }),
    );
    // As if the function died after recording its plan: the chunk is `writing`, one part never written.
    const logId = importDocId('demo', id);
    await collection(PART_IMPORTS).where({ _id: logId }).update({ 'parts.1.state': 'writing', chunksDone: 0, status: 'partial' });
    await collection('parts')
      .where({ _id: partId('demo', '5栋', 'C2') })
      .remove();
    const retry = data(
      await call(W, 'importPartRows', {
        importId: id,
        fileName: '补录.xlsx',
        chunk: 1,
        chunks: 1,
        rows: [row(2, '5栋', 'C1', '70'), row(3, '5栋', 'C2', '71')],
      }),
    );
    expect(retry).toMatchObject({ created: 2, unchanged: 0, repeated: true });
    expect(retry.log).toMatchObject({ status: 'done', created: 2, rows: 2 });
    expect(
      (
        await collection('parts')
          .where({ _id: partId('demo', '5栋', 'C2') })
          .count()
      ).total,
    ).toBe(1);
  });

  it('the same import id with another file or other rows is refused and writes nothing', async () => {
    const before = await snapshot();
    expect(refusal(await send(1, 'import-file-0001', '别的.xlsx'))).toMatchObject({ code: 'E_CONFLICT' });
    const other = await call(W, 'importPartRows', {
      importId: 'import-file-0001',
      fileName: '台账.xlsx',
      chunk: 1,
      chunks: 3,
      rows: [row(2, '1栋', 'Q1', '50')],
    });
    expect(refusal(other).message).toContain('第 1 段已导入过不同的内容');
    const after = await snapshot();
    delete (before as Record<string, unknown>).rate_limits;
    delete (after as Record<string, unknown>).rate_limits;
    expect(after).toEqual(before);
  });

  it('the log lists imports newest first, 20 a page, with who, when, file and counts', async () => {
    for (let i = 0; i < 20; i++)
      data(
        await call(W, 'importPartRows', {
          importId: `import-page-${String(i).padStart(4, '0')}`,
          fileName: `f${i}.xlsx`,
          chunk: 1,
          chunks: 2,
          rows: [row(2, '2栋', `P${i}`, '40')],
        }),
      );
    const p1 = data(await call(W, 'listPartImports', {}));
    expect(p1.items).toHaveLength(20);
    expect(p1.hasMore).toBe(true);
    expect(p1.items[0]).toMatchObject({
      fileName: 'f19.xlsx',
      status: 'partial',
      chunksDone: 1,
      chunks: 2,
      created: 1,
      byName: '李梅',
    });
    const p2 = data(await call(W, 'listPartImports', { page: 2 }));
    expect(p2.items.map((i) => i.fileName)).toEqual(expect.arrayContaining(['台账.xlsx', '补录.xlsx']));
    expect(p2.hasMore).toBe(false);
  });
});

describe('who may', () => {
  it('residents and volunteers are refused every register action', async () => {
    for (const who of ['demo-resident-2', 'demo-volunteer-1']) {
      expect(errorCode(await call(who, 'checkParts', { rows: [row(2, '1栋', '1', '1')] }))).toBe('E_FORBIDDEN');
      expect(
        errorCode(
          await call(who, 'importPartRows', {
            importId: 'import-res-0001',
            fileName: 'a.xlsx',
            chunk: 1,
            chunks: 1,
            rows: [row(2, '1栋', '1', '1')],
          }),
        ),
      ).toBe('E_FORBIDDEN');
      expect(errorCode(await call(who, 'listPartImports', {}))).toBe('E_FORBIDDEN');
    }
  });

  it('another community sees none of it: no log, its buildings only, the same import id is its own', async () => {
    expect(data(await call('other-worker', 'listPartImports', {})).items).toEqual([]);
    const checked = data(
      await call('other-worker', 'checkParts', { rows: [row(2, '1栋', '101', '80'), row(3, 'A座', '101', '80')] }),
    );
    expect(checked.items[0].errors!.join()).toContain('不在本社区');
    expect(checked.items[1].outcome).toBe('create');
    const own = data(
      await call('other-worker', 'importPartRows', {
        importId: 'import-file-0001',
        fileName: '和平里.xlsx',
        chunk: 1,
        chunks: 1,
        rows: [row(2, 'A座', 'X1', '80')],
      }),
    );
    expect(own).toMatchObject({ created: 1, repeated: false });
    expect(own.log).toMatchObject({ fileName: '和平里.xlsx', status: 'done' });
    expect(data(await call(W, 'listPartImports', {})).items.map((i) => i.fileName)).not.toContain('和平里.xlsx');
  });
});

it('every read of the three actions is served by an index (database.json)', async () => {
  calls.length = 0;
  data(await call(W, 'checkParts', { rows: [row(2, '1栋', '101', '80')] }));
  data(
    await call(W, 'importPartRows', {
      importId: 'import-index-0001',
      fileName: 'i.xlsx',
      chunk: 1,
      chunks: 1,
      rows: [row(2, '1栋', 'IX1', '80')],
    }),
  );
  data(await call(W, 'listPartImports', { page: 2 }));
  const reads = calls.filter((c) => c.read && (c.collection === 'parts' || c.collection === PART_IMPORTS));
  expect(reads.length).toBeGreaterThan(3);
  expect(reads.filter((c) => c.read!.plan === 'scan').map((c) => c.collection)).toEqual([]);
});
