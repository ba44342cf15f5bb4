/** What a figure is judged against: a target from issue 10, or a ceiling measured in the same run. */
export type Comparison =
  | { kind: 'at-least'; target: number }
  | { kind: 'below'; target: number }
  | { kind: 'exactly'; target: number }
  | { kind: 'ceiling'; ceiling: number | undefined; of: string }
  | { kind: 'none' };

export interface Verdict {
  /** value / target (or / ceiling). */
  ratio?: number;
  /** PASS / MISS against a target; empty for ceilings and plain figures. */
  outcome: 'PASS' | 'MISS' | '';
  /** How far from the target, e.g. "+12%" or "by 40%". */
  margin: string;
}

const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;

export function judge(value: number | undefined, comparison: Comparison): Verdict {
  if (value === undefined || !Number.isFinite(value)) return { outcome: '', margin: 'not measured' };
  switch (comparison.kind) {
    case 'at-least': {
      const ratio = value / comparison.target;
      return ratio >= 1
        ? { ratio, outcome: 'PASS', margin: `+${percent(ratio - 1)}` }
        : { ratio, outcome: 'MISS', margin: `by ${percent(1 - ratio)}` };
    }
    case 'below': {
      const ratio = value / comparison.target;
      return ratio < 1
        ? { ratio, outcome: 'PASS', margin: `${percent(1 - ratio)} under` }
        : { ratio, outcome: 'MISS', margin: `by ${percent(ratio - 1)}` };
    }
    case 'exactly':
      return value === comparison.target
        ? { outcome: 'PASS', margin: '' }
        : { outcome: 'MISS', margin: `by ${Math.abs(value - comparison.target)}` };
    case 'ceiling':
      return comparison.ceiling && comparison.ceiling > 0
        ? { ratio: value / comparison.ceiling, outcome: '', margin: `of ${comparison.of}` }
        : { outcome: '', margin: `${comparison.of} not measured` };
    case 'none':
      return { outcome: '', margin: '' };
  }
}
