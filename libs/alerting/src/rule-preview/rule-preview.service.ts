import { BadRequestException, Injectable } from '@nestjs/common';
import type { Principal } from '@homeward/access';
import { VitalsService } from '@homeward/monitoring';
import { ExpensiveWork } from '@homeward/platform';
import { PatientRuleSets } from '../protocols/patient-rule-sets';
import { NO_RULE_SET, effectiveRules } from '../protocols/patient-rules';
import { validateRuleDefinition } from '../rules/rule-definition.schema';
import type { RuleDefinition } from '../rules/rule-definition';
import { previewRule, type PreviewResult } from '../rules/rule-preview';

const DAY_MS = 24 * 3600_000;

export interface RulePreviewAnswer extends PreviewResult {
  /** The same figures for the rules each patient has now (protocols or defaults), summed over them. */
  current: PreviewResult;
}

/** Refused rules answer 400 with each problem and where it is. */
export class InvalidRuleError extends BadRequestException {
  constructor(problems: Array<{ path: string; message: string }>) {
    super({
      statusCode: 400,
      error: 'Bad Request',
      code: 'invalid_rule',
      message: `The rule cannot be evaluated: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    });
  }
}

/**
 * Backtesting: replays the stored readings of the caller's patients through a proposed rule,
 * with the de-duplication and cool-down alerts get, beside what the current rules make of the
 * same readings, so a threshold is tuned before it floods the queue.
 */
@Injectable()
export class RulePreviewService {
  constructor(
    private readonly vitals: VitalsService,
    private readonly ruleSets: PatientRuleSets,
    private readonly work: ExpensiveWork,
  ) {}

  async preview(
    principal: Principal,
    request: { rule: unknown; patientIds?: string[]; days: number },
  ): Promise<RulePreviewAnswer> {
    const validation = validateRuleDefinition(request.rule);
    if (!validation.ok) throw new InvalidRuleError(validation.problems);
    const rule = validation.rule;
    // A 90-day backtest holds a connection and a core for seconds: bounded per user and process.
    return this.work.run(principal.userId, 'a rule preview', () => this.backtest(principal, rule, request));
  }

  private async backtest(
    principal: Principal,
    rule: RuleDefinition,
    request: { patientIds?: string[]; days: number },
  ): Promise<RulePreviewAnswer> {
    const now = new Date();
    const readings = await this.vitals.historyOf(principal, {
      patientIds: request.patientIds,
      since: new Date(now.getTime() - request.days * DAY_MS),
    });
    const sets = await this.ruleSets.of([...readings.keys()], now);
    // Each patient's dry weight (and any other baseline) as the worker would compare with it now.
    const baselines = Object.fromEntries(
      [...sets].flatMap(([patientId, set]) => (set.baselines ? [[patientId, set.baselines]] : [])),
    );
    const proposed = previewRule(rule, readings, { now, baselines });
    const empty: PreviewResult = { breaches: 0, alerts: 0, byPatient: [] };
    const current = [...readings.entries()]
      .flatMap(([patientId, rows]) =>
        effectiveRules(sets.get(patientId) ?? NO_RULE_SET).map((rule) =>
          previewRule(rule.definition, new Map([[patientId, rows]]), { now, baselines }),
        ),
      )
      .reduce(sumPreviews, empty);
    return { ...proposed, current };
  }
}

function sumPreviews(a: PreviewResult, b: PreviewResult): PreviewResult {
  const byPatient = new Map(a.byPatient.map((row) => [row.patientId, { ...row }]));
  for (const row of b.byPatient) {
    const sum = byPatient.get(row.patientId);
    if (sum) {
      sum.breaches += row.breaches;
      sum.alerts += row.alerts;
    } else byPatient.set(row.patientId, { ...row });
  }
  return {
    breaches: a.breaches + b.breaches,
    alerts: a.alerts + b.alerts,
    byPatient: [...byPatient.values()],
  };
}
