import { Module } from '@nestjs/common';
import { AccessModule, DatabaseScopeModule } from '@homeward/access';
import { AuthModule, IdentityModule } from '@homeward/identity';
import { VitalsModule } from '@homeward/monitoring';
import { NotificationsModule } from '@homeward/notifications';
import { PatientsModule } from '@homeward/patients';
import { LimitsModule } from '@homeward/platform';
import { AlertMetricsController } from './alert-metrics/alert-metrics.controller';
import { AlertMetricsService } from './alert-metrics/alert-metrics.service';
import { AlertingModule } from './alerting.module';
import { AlertEpisodeRepository } from './alerts/alert-episode.repository';
import { AlertHistoryRepository } from './alerts/alert-history.repository';
import { AlertMetricsRepository } from './alerts/alert-metrics.repository';
import { AlertOccurrenceRepository } from './alerts/alert-occurrence.repository';
import { AlertRepository } from './alerts/alert.repository';
import { PatientAlertsController } from './alerts/patient-alerts.controller';
import { WorklistController } from './worklist/worklist.controller';
import { WorklistModule } from './worklist/worklist.module';
import { ProtocolsController } from './protocols/protocols.controller';
import { PatientBaselinesController } from './baselines/patient-baselines.controller';
import { AlertsController } from './alerts/alerts.controller';
import { AlertsGateway } from './alerts/alerts.gateway';
import { EscalationController } from './escalation/escalation.controller';
import { EscalationRepository } from './escalation/escalation.repository';
import { EscalationSettingsService } from './escalation/escalation-settings.service';
import { RulePreviewService } from './rule-preview/rule-preview.service';
import { RulesController } from './rule-preview/rules.controller';
import { SmsAcknowledgementService } from './sms-replies/sms-acknowledgement.service';
import { SmsRepliesController } from './sms-replies/sms-replies.controller';

/** The alert queue over REST and the live socket, rule backtesting, the patients worklist, and ACK by SMS. */
@Module({
  imports: [
    AlertingModule,
    // Rule previews and socket replays share the process's bound on expensive work.
    LimitsModule,
    IdentityModule,
    AccessModule,
    DatabaseScopeModule,
    AuthModule,
    VitalsModule,
    PatientsModule,
    WorklistModule,
    NotificationsModule,
  ],
  controllers: [
    AlertsController,
    RulesController,
    AlertMetricsController,
    ProtocolsController,
    PatientBaselinesController,
    EscalationController,
    WorklistController,
    PatientAlertsController,
    SmsRepliesController,
  ],
  providers: [
    AlertsGateway,
    RulePreviewService,
    AlertMetricsService,
    AlertRepository,
    AlertEpisodeRepository,
    AlertHistoryRepository,
    AlertOccurrenceRepository,
    AlertMetricsRepository,
    EscalationSettingsService,
    EscalationRepository,
    SmsAcknowledgementService,
  ],
})
export class AlertingHttpModule {}
