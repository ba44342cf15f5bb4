import { Module } from '@nestjs/common';
import { AlertEvaluationService } from './alerts/alert-evaluation.service';

@Module({ providers: [AlertEvaluationService], exports: [AlertEvaluationService] })
export class EvaluationModule {}
