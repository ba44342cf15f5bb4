import { Module } from '@nestjs/common';
import { AccessModule } from '@homeward/access';
import { IdentityModule } from '@homeward/identity';
import { DeviceLookupModule, PatientsModule } from '@homeward/patients';
import { DeviceMessageRepository } from './ingest/device-message.repository';
import { DeviceStatusRepository } from './ingest/device-status.repository';
import { IngestBatchRepository } from './ingest/ingest-batch.repository';
import { IngestService } from './ingest/ingest.service';
import { RejectedValuesService } from './ingest/rejected-values.service';
import { RejectionRepository } from './ingest/rejection.repository';
import { DeviceContactService } from './readings/device-contact.service';
import { ReadingBatchService } from './readings/reading-batch.service';
import { ReadingSummaryService } from './readings/reading-summary.service';
import { ReadingJobs } from './readings/reading.jobs';
import { ReadingRepository } from './readings/reading.repository';
import { ReadingsSweepProcessor } from './readings/readings-sweep.processor';
import { VitalsService } from './readings/vitals.service';

/**
 * Monitoring is cut into the modules each process needs, so an ingest process loads no
 * sessions or broker administration and a worker no patient management. Repositories are
 * provided where used and never exported.
 */

/** Validating, normalising and storing device messages: ingest processes and the all-in-one. */
@Module({
  imports: [DeviceLookupModule],
  providers: [
    IngestService,
    ReadingJobs,
    ReadingRepository,
    DeviceMessageRepository,
    DeviceStatusRepository,
    RejectionRepository,
    IngestBatchRepository,
  ],
  exports: [IngestService],
})
export class IngestModule {}

/** Stored batches for their evaluators (alerting), and the outbox they announce themselves through. */
@Module({
  providers: [
    ReadingBatchService,
    ReadingJobs,
    ReadingRepository,
    IngestBatchRepository,
    RejectedValuesService,
    RejectionRepository,
  ],
  exports: [ReadingBatchService, ReadingJobs, RejectedValuesService],
})
export class ReadingsModule {}

/** A patient's readings for the people caring for them. */
@Module({
  imports: [IdentityModule, AccessModule, PatientsModule],
  providers: [
    VitalsService,
    ReadingSummaryService,
    DeviceContactService,
    ReadingRepository,
    DeviceMessageRepository,
  ],
  exports: [VitalsService, ReadingSummaryService, DeviceContactService],
})
export class VitalsModule {}

/** Monitoring's job processors, for worker processes. */
@Module({ imports: [ReadingsModule], providers: [ReadingsSweepProcessor] })
export class MonitoringJobsModule {}
