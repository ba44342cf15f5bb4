import { Module } from '@nestjs/common';
import { IdentityModule } from '@homeward/identity';
import { AccessModule } from '../access.module';
import { CareTeamRepository } from './care-team.repository';
import { CareTeamService } from './care-team.service';

/** Care teams and their members and patients: for the routes that manage them and for registering patients. */
@Module({
  imports: [IdentityModule, AccessModule],
  providers: [CareTeamService, CareTeamRepository],
  exports: [CareTeamService],
})
export class CareTeamsModule {}
