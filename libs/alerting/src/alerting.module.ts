import { Module } from '@nestjs/common';
import { IdentityModule } from '@homeward/identity';
import { ReadingsModule } from '@homeward/monitoring';
import { PatientsModule } from '@homeward/patients';
import { MqttPublisherModule } from '@homeward/platform';
import { AlertingJobs } from './alerting.jobs';
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
import { AlertRepository } from './alerts/alert.repository';
import { AlertService } from './alerts/alert.service';
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
import { NOTIFICATION_TRANSPORTS } from './notifications/notification-transport';
import { NotificationJobs } from './notifications/notification.jobs';
import { NotificationRepository } from './notifications/notification.repository';
import { NotificationService } from './notifications/notification.service';
import {
  LoggingEmailTransport,
  LoggingSmsTransport,
  SocketNotificationTransport,
} from './notifications/notification.transports';
import {
  NotificationsDeliverProcessor,
  NotificationsSweepProcessor,
} from './notifications/notifications.processors';

/** Starting and stopping alerts' escalation clocks, wherever alerts change. */
const ESCALATION_SCHEDULING = [AlertEscalationScheduler, EscalationRepository, EscalationJobs];

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
    ...ESCALATION_SCHEDULING,
  ],
  exports: [AlertService, ProtocolService, RuleOverrideService, PatientRuleSets],
})
export class AlertingModule {}

/**
 * Alerting's work in worker processes: raising alerts from stored readings (`readings.evaluate`)
 * and from missed readings (a scheduled `alerts.missed-check` per organisation), taking
 * escalation steps when they fall due (`alerts.escalate`, `escalations.sweep`) and delivering
 * notifications from the outbox (`notifications.deliver`, `notifications.sweep`), and the
 * hypertensive-crisis re-measure flow (`alerts.confirm`, `alerts.confirm-sweep`; device
 * commands through the service account's MQTT connection).
 */
@Module({
  imports: [IdentityModule, ReadingsModule, MqttPublisherModule],
  providers: [
    AlertEvaluationService,
    AlertConfirmationService,
    DeviceCommandRepository,
    AlertsConfirmProcessor,
    AlertsConfirmSweepProcessor,
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
    ...ESCALATION_SCHEDULING,
    EscalationService,
    AlertsEscalateProcessor,
    EscalationsSweepProcessor,
    NotificationService,
    NotificationRepository,
    NotificationJobs,
    NotificationsDeliverProcessor,
    NotificationsSweepProcessor,
    SocketNotificationTransport,
    LoggingEmailTransport,
    LoggingSmsTransport,
    ...DEVICE_NOTICES,
    {
      provide: NOTIFICATION_TRANSPORTS,
      inject: [SocketNotificationTransport, LoggingEmailTransport, LoggingSmsTransport],
      useFactory: (...transports: unknown[]) => transports,
    },
  ],
})
export class AlertingJobsModule {}
