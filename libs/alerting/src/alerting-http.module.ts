import { Module } from '@nestjs/common';
import { AuthModule, IdentityModule } from '@homeward/identity';
import { AlertingModule } from './alerting.module';
import { AlertsController } from './alerts/alerts.controller';
import { AlertsGateway } from './alerts/alerts.gateway';

/** The alert queue over REST and the live socket. */
@Module({
  imports: [AlertingModule, IdentityModule, AuthModule],
  controllers: [AlertsController],
  providers: [AlertsGateway],
})
export class AlertingHttpModule {}
