// Reminders go out in batches. `notices.remind` records a job (one document per notice: the
// members to tell, frozen when the worker tapped, and a cursor), sends as many batches as fit in
// its time budget, and the timer carries on with the cursor every run until the job is done.
// Every batch goes through `notify` with the reminder's idempotency key, so a batch sent twice
// (two runs at once, a run killed before it moved the cursor) tells nobody twice.
import { cmd, collection, getAll } from '../common/db';
import type { MessageInput } from '../common/model';
import { notify } from '../common/notify';

export const REMINDERS = 'notice_reminders';
/** Members told per step (one cursor move). */
export const REMIND_BATCH = 400;

export interface ReminderDoc {
  _id: string; // the notice's id: one reminder per notice
  communityId: string;
  noticeId: string;
  message: MessageInput;
  /** Openids to tell, in the order they go out. */
  recipients: string[];
  /** recipients.length (read without the list). */
  total: number;
  /** recipients[0, cursor) have been sent. */
  cursor: number;
  /** In-app messages written (new ones; a member already told does not count twice). */
  sent: number;
  done: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface ReminderProgress {
  sent: number;
  pending: number;
  done: boolean;
}

const progressOf = (job: Pick<ReminderDoc, 'cursor' | 'sent' | 'done' | 'total'>): ReminderProgress => ({
  sent: job.sent,
  pending: Math.max(0, job.total - job.cursor),
  done: job.done,
});

/**
 * Sends batches of one job from its cursor until it is done or `deadline` (performance.now())
 * has passed, moving the cursor after each batch; the notice's remindedCount follows the total.
 * At least one batch is sent whatever the deadline.
 */
export async function continueReminder(
  job: ReminderDoc,
  now: Date,
  deadline: number,
  batch = REMIND_BATCH,
): Promise<ReminderProgress> {
  let current = job;
  let steps = 0;
  while (!current.done && (steps === 0 || performance.now() < deadline)) {
    steps++;
    const from = current.cursor;
    const slice = current.recipients.slice(from, from + batch);
    const written = slice.length ? await notify(current.communityId, slice, current.message, now) : 0;
    const cursor = from + slice.length;
    const done = cursor >= current.recipients.length;
    const moved = await collection(REMINDERS)
      .where({ _id: current._id, cursor: from })
      .update({ cursor, done, sent: cmd().inc(written), updatedAt: now });
    if (moved.updated === 1) {
      current = { ...current, cursor, done, sent: current.sent + written };
      continue;
    }
    // Another run moved the cursor meanwhile: count what this one wrote, go on from where it is.
    if (written > 0)
      await collection(REMINDERS)
        .doc(current._id)
        .update({ sent: cmd().inc(written) });
    const fresh = (await getAll<ReminderDoc>(collection(REMINDERS).where({ _id: current._id }).limit(1)))[0];
    if (!fresh) break;
    current = fresh;
  }
  await collection('notices').doc(current.noticeId).update({ remindedCount: current.sent });
  return progressOf(current);
}

/** The progress of a notice's reminder, or undefined if it has none. */
export async function reminderProgress(noticeId: string): Promise<ReminderProgress | undefined> {
  const res = await collection(REMINDERS)
    .where({ _id: noticeId })
    .field({ cursor: true, sent: true, done: true, total: true })
    .limit(1)
    .get();
  const doc = res.data[0] as Pick<ReminderDoc, 'cursor' | 'sent' | 'done' | 'total'> | undefined;
  return doc && progressOf(doc);
}

export interface RemindersSweepReport {
  jobs: number;
  sent: number;
  /** Jobs not finished in this run (they go on next time). */
  running: number;
}

/** The timer's part: every unfinished reminder goes on from its cursor, oldest first, until the deadline. */
export async function sweepReminders(now: Date, deadline: number, limit = 20): Promise<RemindersSweepReport> {
  const report: RemindersSweepReport = { jobs: 0, sent: 0, running: 0 };
  const jobs = await getAll<ReminderDoc>(collection(REMINDERS).where({ done: false }).orderBy('updatedAt', 'asc').limit(limit));
  for (const job of jobs) {
    if (report.jobs > 0 && performance.now() >= deadline) {
      report.running++;
      continue;
    }
    report.jobs++;
    const before = job.sent;
    const progress = await continueReminder(job, now, deadline);
    report.sent += progress.sent - before;
    if (!progress.done) report.running++;
  }
  return report;
}
