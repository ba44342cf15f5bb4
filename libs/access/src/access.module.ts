import { Module } from '@nestjs/common';
import { AccessPolicy } from './access-policy';

/** What a principal may see: the patient scope every patient-data query takes, and socket rooms. */
@Module({ providers: [AccessPolicy], exports: [AccessPolicy] })
export class AccessModule {}
