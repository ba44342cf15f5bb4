import { Module } from '@nestjs/common';
import { AccessPolicy } from './access-policy';
import { CareTeamRepository } from './care-teams/care-team.repository';

/** What a principal may see: the patient scope every patient-data query takes, and socket rooms. */
@Module({ providers: [AccessPolicy, CareTeamRepository], exports: [AccessPolicy] })
export class AccessModule {}
