// The timer's yellow and red warnings for records that carry `yellowDue` / `redDue` markers (a
// topic's worker step, a resident's question on the ledger): the sweep reads the due ones by index,
// sends a page's messages in one batch (keyed: a repeated run sends nothing twice), then clears
// each marker only if it is still the one it read — a record changed meanwhile keeps its new
// markers. Red first, so a record past its limit is not also warned as nearly late. Markers are
// bookkeeping: the record's version does not move.
import { cmd, collection, getAll } from './db';
import { notifyMany, type Notice } from './notify';

const PAGE = 100;
const MAX_PAGES = 20;

export type Colour = 'yellow' | 'red';
const FIELD = { yellow: 'yellowDue', red: 'redDue' } as const;

export interface LightSweepReport {
  yellow: number;
  red: number;
  messages: number;
  more: boolean;
}

interface Marked {
  _id: string;
  communityId: string;
  yellowDue?: Date | null;
  redDue?: Date | null;
}

export interface LightSweep<T extends Marked> {
  collection: string;
  /** Who hears of it in a community (read once per community and run). */
  workersOf(communityId: string): Promise<string[]>;
  message(doc: T, colour: Colour, to: string[]): Notice;
  /** False for a record that no longer needs a warning though its marker is still set. */
  stillDue?(doc: T): boolean;
}

async function drain<T extends Marked>(
  spec: LightSweep<T>,
  colour: Colour,
  now: Date,
  deadline: number,
  report: LightSweepReport,
): Promise<void> {
  const field = FIELD[colour];
  const workers = new Map<string, Promise<string[]>>();
  const staff = (communityId: string) => {
    if (!workers.has(communityId)) workers.set(communityId, spec.workersOf(communityId));
    return workers.get(communityId)!;
  };
  for (let page = 0; page < MAX_PAGES; page++) {
    if (performance.now() >= deadline) {
      report.more = true;
      return;
    }
    const due = await getAll<T>(
      collection(spec.collection)
        .where({ [field]: cmd().lte(now) })
        .orderBy(field, 'asc')
        .limit(PAGE),
    );
    const notices: Notice[] = [];
    for (const doc of due) {
      if (spec.stillDue && !spec.stillDue(doc)) continue;
      const to = await staff(doc.communityId);
      if (to.length) notices.push(spec.message(doc, colour, to));
    }
    report.messages += await notifyMany(notices, now);
    let cleared = 0;
    for (const doc of due) {
      // A red record no longer needs its yellow warning.
      const patch = colour === 'red' ? { redDue: null, yellowDue: null } : { yellowDue: null };
      const res = await collection(spec.collection)
        .where({ _id: doc._id, [field]: doc[field] })
        .update(patch);
      if (res.updated === 1) cleared += 1;
    }
    report[colour] += cleared;
    if (due.length < PAGE || cleared === 0) return;
  }
  report.more = true;
}

/** One run of the sweep for one kind of record, bounded by `deadline` (performance.now()). */
export async function sweepLights<T extends Marked>(
  spec: LightSweep<T>,
  now: Date,
  deadline = Infinity,
): Promise<LightSweepReport> {
  const report: LightSweepReport = { yellow: 0, red: 0, messages: 0, more: false };
  await drain(spec, 'red', now, deadline, report);
  await drain(spec, 'yellow', now, deadline, report);
  return report;
}
