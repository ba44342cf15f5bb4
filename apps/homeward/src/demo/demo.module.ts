import { Module } from '@nestjs/common';
import { AlertingModule } from '@homeward/alerting';
import { AccessModule, CareTeamsModule, ConsentModule } from '@homeward/access';
import { IdentityModule } from '@homeward/identity';
import { PatientsModule } from '@homeward/patients';
import { DemoHistoryRepository } from './demo-history.repository';
import { DemoSeedService } from './demo-seed.service';

/** Seeds the demo organisation: only the all-in-one process and its seed script load it, never a deployment's API. */
@Module({
  imports: [IdentityModule, AccessModule, ConsentModule, CareTeamsModule, PatientsModule, AlertingModule],
  providers: [DemoSeedService, DemoHistoryRepository],
  exports: [DemoSeedService],
})
export class DemoModule {}
