import { Module } from '@nestjs/common';
import { AccessModule } from '@homeward/access';
import { IdentityModule } from '@homeward/identity';
import { PatientsModule } from '@homeward/patients';
import { CareTimeRepository } from './care-time/care-time.repository';
import { CareTimeService } from './care-time/care-time.service';

/** The care-time ledger, for every process that records or reads it (telehealth records visits). */
@Module({
  imports: [IdentityModule, AccessModule, PatientsModule],
  providers: [CareTimeService, CareTimeRepository],
  exports: [CareTimeService],
})
export class CareModule {}
