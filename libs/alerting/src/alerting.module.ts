import { Module } from '@nestjs/common';
import { IdentityModule } from '@homeward/identity';
import { ReadingsModule } from '@homeward/monitoring';
import { PatientsModule } from '@homeward/patients';
import { AlertingJobs } from './alerting.jobs';
import { AlertEvaluationService } from './alerts/alert-evaluation.service';
import { PatientProtocolRepository } from './protocols/patient-protocol.repository';
import { PatientRuleSets } from './protocols/patient-rule-sets';
import { RuleOverrideRepository } from './protocols/rule-override.repository';
import { RuleOverrideService } from './protocols/rule-override.service';
import { ProtocolService } from './protocols/protocol.service';
import { AlertPublisher } from './alerts/alert-publisher';
import { AlertRepository } from './alerts/alert.repository';
import { AlertService } from './alerts/alert.service';
import { ReadingsEvaluateProcessor } from './alerts/readings-evaluate.processor';
import { MissedCheckProcessor, MissedReconcileProcessor } from './missed/missed-check.processor';
import { MissedCheckService } from './missed/missed-check.service';
import { MissedScheduleService } from './missed/missed-schedule.service';

/** Alerts as people query them and act on them, and the protocols and overrides patients' rules come from. */
@Module({
  imports: [IdentityModule, PatientsModule],
  providers: [
    AlertService,
    AlertRepository,
    AlertPublisher,
    ProtocolService,
    PatientProtocolRepository,
    PatientRuleSets,
    RuleOverrideRepository,
    RuleOverrideService,
  ],
  exports: [AlertService, ProtocolService, RuleOverrideService, PatientRuleSets],
})
export class AlertingModule {}

/**
 * Raising alerts, for worker processes: from stored readings (the `readings.evaluate`
 * processor) and from missed readings (a scheduled `alerts.missed-check` per organisation).
 */
@Module({
  imports: [IdentityModule, ReadingsModule],
  providers: [
    AlertEvaluationService,
    AlertPublisher,
    AlertRepository,
    PatientProtocolRepository,
    RuleOverrideRepository,
    PatientRuleSets,
    ReadingsEvaluateProcessor,
    AlertingJobs,
    MissedCheckService,
    MissedScheduleService,
    MissedCheckProcessor,
    MissedReconcileProcessor,
  ],
})
export class AlertingJobsModule {}
