// Texts the notice screens share: times on the community's clock, rates as percentages.
import { clockText, dateText } from '../../miniprogram/shared/clock';

/** `2030-01-07 10:30` on the community's clock; `—` for no time. */
export const whenText = (t: string | undefined): string => (t ? `${dateText(t)} ${clockText(t)}` : '—');

/** `75%`; `—` when there is nobody to count. */
export const percent = (part: number, whole: number | undefined): string =>
  whole ? `${Math.round((part / whole) * 100)}%` : '—';
