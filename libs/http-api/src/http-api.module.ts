import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '@homeward/config';
import { AccessModule } from '@homeward/core';
import { AlertsController } from './alerts/alerts.controller';
import { AuthController } from './auth/auth.controller';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { AuthGuard } from './common/auth.guard';
import { HealthController } from './health/health.controller';
import { MqttMonitor } from './health/mqtt-monitor';
import { MqttAuthController } from './mqtt-auth/mqtt-auth.controller';
import { PatientsController } from './patients/patients.controller';
import { AlertsGateway } from './realtime/alerts.gateway';

@Module({
  imports: [
    AccessModule,
    TerminusModule.forRoot({ logger: false }),
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => [
        { name: 'login', ttl: 60_000, limit: config.LOGIN_RATE_LIMIT },
        { name: 'mqttAuth', ttl: 60_000, limit: config.MQTT_AUTH_RATE_LIMIT },
      ],
    }),
  ],
  controllers: [AuthController, PatientsController, AlertsController, HealthController, MqttAuthController],
  providers: [
    { provide: APP_GUARD, useClass: AuthGuard },
    { provide: APP_FILTER, useClass: AllExceptionsFilter },
    AlertsGateway,
    MqttMonitor,
  ],
})
export class HttpApiModule {}
