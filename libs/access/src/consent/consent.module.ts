import { Module } from '@nestjs/common';
import { IdentityModule } from '@homeward/identity';
import { AccessModule } from '../access.module';
import { ConsentRepository } from './consent.repository';
import { ConsentService } from './consent.service';

/** Patients' consents: for the patients' routes and for every domain that needs one before acting. */
@Module({
  imports: [IdentityModule, AccessModule],
  providers: [ConsentService, ConsentRepository],
  exports: [ConsentService],
})
export class ConsentModule {}
