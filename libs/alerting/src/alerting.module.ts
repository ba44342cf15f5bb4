import { Module } from '@nestjs/common';
import { AccessModule } from '@homeward/access';
import { IdentityModule } from '@homeward/identity';
import { ReadingsModule } from '@homeward/monitoring';
import { PatientsModule } from '@homeward/patients';
import { NotificationsModule } from '@homeward/notifications';
import { MqttPublisherModule } from '@homeward/platform';
import { AlertingJobs } from './alerting.jobs';
import { PatientBaselineRepository } from './baselines/patient-baseline.repository';
import { PatientBaselineService } from './baselines/patient-baseline.service';
import { AlertAllClearService } from './alerts/alert-all-clear.service';
import { AlertBreachService } from './alerts/alert-breach.service';
import { AlertConfirmationService } from './alerts/alert-confirmation.service';
import { AlertEvaluationService } from './alerts/alert-evaluation.service';
import { AlertsConfirmProcessor, AlertsConfirmSweepProcessor } from './alerts/alerts-confirm.processor';
import { DeviceCommandRepository } from './alerts/device-command.repository';
import { PatientProtocolRepository } from './protocols/patient-protocol.repository';
import { PatientRuleSets } from './protocols/patient-rule-sets';
import { RuleOverrideRepository } from './protocols/rule-override.repository';
import { RuleOverrideService } from './protocols/rule-override.service';
import { ProtocolService } from './protocols/protocol.service';
import { AlertPublisher } from './alerts/alert-publisher';
import { AlertEpisodeRepository } from './alerts/alert-episode.repository';
import { AlertHistoryRepository } from './alerts/alert-history.repository';
import { AlertMetricsRepository } from './alerts/alert-metrics.repository';
import { AlertOccurrenceRepository } from './alerts/alert-occurrence.repository';
import { AlertRepository } from './alerts/alert.repository';
import { AlertService } from './alerts/alert.service';
import { AlertVisitEvents } from './alerts/alert-visit-events';
import { ReadingsEvaluateProcessor } from './alerts/readings-evaluate.processor';
import { DEVICE_NOTICES } from './device-notices/device-notices.providers';
import { AlertEscalationScheduler } from './escalation/alert-escalation.scheduler';
import { AlertsEscalateProcessor, EscalationsSweepProcessor } from './escalation/escalation.processors';
import { EscalationJobs } from './escalation/escalation.jobs';
import { EscalationRepository } from './escalation/escalation.repository';
import { EscalationService } from './escalation/escalation.service';
import { MissedCheckProcessor, MissedReconcileProcessor } from './missed/missed-check.processor';
import { MissedCheckService } from './missed/missed-check.service';
import { MissedScheduleService } from './missed/missed-schedule.service';

/** Starting and stopping alerts' escalation clocks, wherever alerts change. */
const ESCALATION_SCHEDULING = [AlertEscalationScheduler, EscalationRepository, EscalationJobs];

/** Alerts as people query them and act on them, and the protocols and overrides patients' rules come from. */
@Module({
  imports: [IdentityModule, AccessModule, PatientsModule],
  providers: [
    AlertService,
    AlertRepository,
    AlertEpisodeRepository,
    AlertHistoryRepository,
    AlertOccurrenceRepository,
    AlertMetricsRepository,
    AlertPublisher,
    ProtocolService,
    PatientProtocolRepository,
    PatientRuleSets,
    RuleOverrideRepository,
    RuleOverrideService,
    PatientBaselineRepository,
    PatientBaselineService,
    AlertVisitEvents,
    ...ESCALATION_SCHEDULING,
  ],
  exports: [
    AlertService,
    ProtocolService,
    RuleOverrideService,
    PatientBaselineService,
    PatientRuleSets,
    AlertVisitEvents,
  ],
})
export class AlertingModule {}

/**
 * Alerting's work in worker processes: raising alerts from stored readings (`readings.evaluate`)
 * and from missed readings (a scheduled `alerts.missed-check` per organisation), taking
 * escalation steps when they fall due (`alerts.escalate`, `escalations.sweep`; the notifications
 * go through @homeward/notifications, whose jobs the process adds itself), and the
 * hypertensive-crisis re-measure flow (`alerts.confirm`, `alerts.confirm-sweep`; device
 * commands through the service account's MQTT connection).
 */
@Module({
  imports: [IdentityModule, AccessModule, ReadingsModule, MqttPublisherModule, NotificationsModule],
  providers: [
    AlertEvaluationService,
    AlertBreachService,
    AlertAllClearService,
    AlertConfirmationService,
    DeviceCommandRepository,
    AlertsConfirmProcessor,
    AlertsConfirmSweepProcessor,
    AlertPublisher,
    AlertRepository,
    AlertEpisodeRepository,
    AlertHistoryRepository,
    AlertOccurrenceRepository,
    AlertMetricsRepository,
    PatientProtocolRepository,
    RuleOverrideRepository,
    PatientBaselineRepository,
    PatientRuleSets,
    ReadingsEvaluateProcessor,
    AlertingJobs,
    MissedCheckService,
    MissedScheduleService,
    MissedCheckProcessor,
    MissedReconcileProcessor,
    ...ESCALATION_SCHEDULING,
    EscalationService,
    AlertsEscalateProcessor,
    EscalationsSweepProcessor,
    ...DEVICE_NOTICES,
  ],
  // The all-in-one demo runs one check right after seeding, not at the schedule's first tick.
  exports: [MissedCheckService],
})
export class AlertingJobsModule {}
