import { Module } from '@nestjs/common';
import { AccessModule } from '@homeward/access';
import { IdentityModule } from '@homeward/identity';
import { VitalsModule } from '@homeward/monitoring';
import { PatientsModule } from '@homeward/patients';
import { AlertReadingsService } from '../alerts/alert-readings.service';
import { AlertMetricsRepository } from '../alerts/alert-metrics.repository';
import { AlertOccurrenceRepository } from '../alerts/alert-occurrence.repository';
import { PatientProtocolRepository } from '../protocols/patient-protocol.repository';
import { WorklistService } from './worklist.service';

/** The patients worklist and the chart marks of a patient: read models over patients, readings and alerts. */
@Module({
  imports: [IdentityModule, AccessModule, PatientsModule, VitalsModule],
  providers: [
    WorklistService,
    AlertReadingsService,
    AlertOccurrenceRepository,
    AlertMetricsRepository,
    PatientProtocolRepository,
  ],
  exports: [WorklistService, AlertReadingsService],
})
export class WorklistModule {}
