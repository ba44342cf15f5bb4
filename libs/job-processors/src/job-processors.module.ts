import { Module } from '@nestjs/common';
import { EvaluationModule } from '@homeward/core';
import { JobRunner } from './job-runner';

@Module({ imports: [EvaluationModule], providers: [JobRunner] })
export class JobProcessorsModule {}
