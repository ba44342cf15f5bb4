import { Global, Module } from '@nestjs/common';
import { IdentityModule, NewUserCareTeams } from '@homeward/identity';
import { AccessModule } from '../access.module';
import { CareTeamRepository } from './care-team.repository';
import { CareTeamService } from './care-team.service';

/**
 * Care teams and their members and patients: for the routes that manage them and for registering
 * patients. Global because it provides identity's `NewUserCareTeams` too, which identity cannot
 * import from the layer above it.
 */
@Global()
@Module({
  imports: [IdentityModule, AccessModule],
  providers: [
    CareTeamService,
    CareTeamRepository,
    { provide: NewUserCareTeams, useExisting: CareTeamService },
  ],
  exports: [CareTeamService, NewUserCareTeams],
})
export class CareTeamsModule {}
