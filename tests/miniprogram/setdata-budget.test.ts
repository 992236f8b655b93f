// The setData budget every page test enforces (tests/helpers/miniprogram.ts, budgets.json).
import fs from 'fs';
import path from 'path';
import { ROOT, setDataOverBudget } from '../helpers/miniprogram';

const budget = (JSON.parse(fs.readFileSync(path.join(ROOT, 'budgets.json'), 'utf8')) as { setDataBytes: number }).setDataBytes;
const page = (route: string, max: number) => ({ route, maxSetDataBytes: () => max });

test('the budget is 100 KB and a page over it is named', () => {
  expect(budget).toBe(100 * 1024);
  expect(setDataOverBudget([page('pages/a/index', budget), page('pages/b/index', budget + 1)])).toEqual([
    `pages/b/index: ${budget + 1} bytes`,
  ]);
  expect(setDataOverBudget([page('pages/a/index', 10)], 5)).toEqual(['pages/a/index: 10 bytes']);
});
