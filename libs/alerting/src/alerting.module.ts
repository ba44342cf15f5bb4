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
import { ProtocolService } from './protocols/protocol.service';
import { AlertPublisher } from './alerts/alert-publisher';
import { AlertRepository } from './alerts/alert.repository';
import { AlertService } from './alerts/alert.service';
import { ReadingsEvaluateProcessor } from './alerts/readings-evaluate.processor';

/** Alerts as people query them and act on them, and the protocols patients' rules come from. */
@Module({
  imports: [IdentityModule, PatientsModule],
  providers: [AlertService, AlertRepository, AlertPublisher, ProtocolService, PatientProtocolRepository],
  exports: [AlertService, ProtocolService],
})
export class AlertingModule {}

/** Raising alerts from stored readings, for worker processes: the `readings.evaluate` processor. */
@Module({
  imports: [IdentityModule, ReadingsModule, MqttPublisherModule],
  providers: [
    AlertEvaluationService,
    AlertConfirmationService,
    AlertingJobs,
    DeviceCommandRepository,
    AlertsConfirmProcessor,
    AlertsConfirmSweepProcessor,
    AlertPublisher,
    AlertRepository,
    PatientProtocolRepository,
    ReadingsEvaluateProcessor,
  ],
})
export class AlertingJobsModule {}
