import { Module } from '@nestjs/common';
import { IdentityModule } from '@homeward/identity';
import { ReadingsModule } from '@homeward/monitoring';
import { AlertEvaluationService } from './alerts/alert-evaluation.service';
import { PatientProtocolRepository } from './protocols/patient-protocol.repository';
import { AlertPublisher } from './alerts/alert-publisher';
import { AlertRepository } from './alerts/alert.repository';
import { AlertService } from './alerts/alert.service';
import { ReadingsEvaluateProcessor } from './alerts/readings-evaluate.processor';

/** Alerts as people query them and act on them. */
@Module({
  imports: [IdentityModule],
  providers: [AlertService, AlertRepository, AlertPublisher],
  exports: [AlertService],
})
export class AlertingModule {}

/** Raising alerts from stored readings, for worker processes: the `readings.evaluate` processor. */
@Module({
  imports: [IdentityModule, ReadingsModule],
  providers: [
    AlertEvaluationService,
    AlertPublisher,
    AlertRepository,
    PatientProtocolRepository,
    ReadingsEvaluateProcessor,
  ],
})
export class AlertingJobsModule {}
