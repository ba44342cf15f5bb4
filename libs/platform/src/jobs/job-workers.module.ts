import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { JobRunner } from './job-runner';

/** Loaded by processes that run jobs (worker, all-in-one): runs every processor their modules provide. */
@Module({ imports: [DiscoveryModule], providers: [JobRunner] })
export class JobWorkersModule {}
