// Measuring helpers for the bench: percentiles, a concurrent runner, and the table printer.

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

/** Nearest-rank percentiles, in the samples' unit, rounded to 0.01. */
export function summarise(samples: number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : NaN;
  const r = (x: number) => Math.round(x * 100) / 100;
  const mean = sorted.length ? sorted.reduce((s, x) => s + x, 0) / sorted.length : NaN;
  return { n: sorted.length, p50: r(at(50)), p95: r(at(95)), p99: r(at(99)), mean: r(mean) };
}

/** Runs `total` calls of `call(i)` with `concurrency` callers; answers the wall time in ms. */
export async function runConcurrent(total: number, concurrency: number, call: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      await call(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return performance.now() - started;
}

/** A plain text table: the first row is the header; numbers are right-aligned. */
export function table(rows: (string | number)[][]): string {
  const text = rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)));
  const widths = text[0].map((_, i) => Math.max(...text.map((r) => width(r[i] ?? ''))));
  const line = (r: string[], k: number) => r.map((c, i) => pad(c, widths[i], typeof rows[k][i] === 'number')).join('  ');
  const out = [line(text[0], 0), widths.map((w) => '-'.repeat(w)).join('  '), ...text.slice(1).map((r, k) => line(r, k + 1))];
  return out.join('\n');
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (Math.abs(x) >= 100) return String(Math.round(x));
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** Display width: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\uffff]/.test(ch) ? 2 : 1;
  return w;
}

function pad(s: string, w: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
}
