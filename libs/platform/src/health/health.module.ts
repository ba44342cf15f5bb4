import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ApiOpsServer } from './api-ops.server';
import { HealthController } from './health.controller';
import { MqttMonitor } from './mqtt-monitor';
import { ReadinessChecks } from './readiness-checks';

/** Liveness and readiness of an API-serving process, publicly as status words and in full on OPS_PORT. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [ReadinessChecks, MqttMonitor, ApiOpsServer],
})
export class HealthModule {}
