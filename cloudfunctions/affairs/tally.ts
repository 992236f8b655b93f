// The arithmetic of 民法典 第278条, pure: who counts as one owner, what the quorum is, what passes.
// Areas are integers in 0.01 m² and every ratio is compared by cross-multiplication, so no float
// rounding can move a result across a threshold (docs/affairs.md).

/** An owners' matter: `major` needs 3/4 (筹集维修资金, 改建重建, 改变共有部分用途…), `ordinary` more than 1/2. */
export type Matter = 'ordinary' | 'major';

export interface Count {
  /** Heads: one owner per group of parts (tally.ts groupOwners). */
  owners: number;
  /** Registered exclusive area, in 0.01 m². */
  area: number;
}

export interface Tally {
  eligible: Count;
  participated: Count;
  yes: Count;
  no: Count;
  abstain: Count;
  quorumMet: boolean;
  passed: boolean;
}

export const ZERO: Count = { owners: 0, area: 0 };
export const add = (a: Count, b: Count): Count => ({ owners: a.owners + b.owners, area: a.area + b.area });

/** Participating owners hold at least 2/3 of the area and are at least 2/3 of the owners. */
export function quorumMet(eligible: Count, participated: Count): boolean {
  if (eligible.owners === 0 || eligible.area === 0) return false;
  return 3 * participated.area >= 2 * eligible.area && 3 * participated.owners >= 2 * eligible.owners;
}

/** Whether `yes` carries the matter among the participants (quorum aside). */
export function carried(matter: Matter, participated: Count, yes: Count): boolean {
  if (participated.owners === 0 || participated.area === 0) return false;
  if (matter === 'major') return 4 * yes.area >= 3 * participated.area && 4 * yes.owners >= 3 * participated.owners;
  return 2 * yes.area > participated.area && 2 * yes.owners > participated.owners;
}

export type Choice = 'yes' | 'no' | 'abstain';

/** The tally of a vote from its eligible totals and one entry per ballot (one per owner). */
export function tallyOf(matter: Matter, eligible: Count, ballots: { choice: Choice; area: number }[]): Tally {
  const by: Record<Choice, Count> = { yes: ZERO, no: ZERO, abstain: ZERO };
  for (const b of ballots) by[b.choice] = add(by[b.choice], { owners: 1, area: b.area });
  const participated = add(add(by.yes, by.no), by.abstain);
  const quorum = quorumMet(eligible, participated);
  return {
    eligible,
    participated,
    ...by,
    quorumMet: quorum,
    passed: quorum && carried(matter, participated, by.yes),
  };
}

/** "89.56" (m², at most two decimals) → 8956; exact, no float. */
export function parseArea(text: string): number {
  const m = /^(\d{1,6})(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) throw new Error(`not an area: ${text}`);
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** 8956 → "89.56"; 9000 → "90". */
export function areaText(area: number): string {
  const whole = Math.floor(area / 100);
  const cents = area % 100;
  if (cents === 0) return String(whole);
  return `${whole}.${String(cents).padStart(2, '0').replace(/0$/, '')}`;
}

/** One exclusive part as the owner count sees it. */
export interface PartForCount {
  _id: string;
  area: number;
  /** Unsold, held by the developer: all of them count as one owner. */
  developer: boolean;
  /** The register's title-holder number: parts with the same holder are one buyer. */
  holder?: string;
  /** Verified owners (voter keys): a person verified on two parts makes them one owner. */
  owners: string[];
}

export interface OwnerGroup {
  /** Deterministic: `developer`, or the smallest part id of the group. */
  key: string;
  partIds: string[];
  area: number;
  developer: boolean;
  owners: string[];
}

/**
 * Owners per the Supreme People's Court's interpretation (法释〔2009〕7号 第九条): one exclusive part
 * counts one owner; one buyer of several parts counts once (areas summed); the developer's unsold
 * parts count once. Parts are joined when they share a holder number or a verified owner, or are
 * both the developer's.
 */
export function groupOwners(parts: PartForCount[]): OwnerGroup[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    while (parent.get(x) !== root) {
      const next = parent.get(x)!;
      parent.set(x, root);
      x = next;
    }
    return root;
  };
  const union = (a: string, b: string) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  for (const p of parts) parent.set(p._id, p._id);
  const firstBy = new Map<string, string>();
  const link = (label: string, partId: string) => {
    const first = firstBy.get(label);
    if (first) union(first, partId);
    else firstBy.set(label, partId);
  };
  for (const p of parts) {
    if (p.developer) link('developer', p._id);
    else if (p.holder) link(`holder:${p.holder}`, p._id);
    for (const o of p.owners) link(`owner:${o}`, p._id);
  }
  const groups = new Map<string, OwnerGroup>();
  for (const p of [...parts].sort((a, b) => (a._id < b._id ? -1 : 1))) {
    const root = find(p._id);
    const g = groups.get(root) ?? { key: root, partIds: [], area: 0, developer: false, owners: [] };
    g.partIds.push(p._id);
    g.area += p.area;
    g.developer ||= p.developer;
    for (const o of p.owners) if (!g.owners.includes(o)) g.owners.push(o);
    groups.set(root, g);
  }
  return [...groups.values()].map((g) => (g.developer ? { ...g, key: 'developer' } : g));
}
