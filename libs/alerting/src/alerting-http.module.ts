import { Module } from '@nestjs/common';
import { AuthModule, IdentityModule } from '@homeward/identity';
import { VitalsModule } from '@homeward/monitoring';
import { AlertingModule } from './alerting.module';
import { AlertsController } from './alerts/alerts.controller';
import { AlertsGateway } from './alerts/alerts.gateway';
import { RulePreviewService } from './rule-preview/rule-preview.service';
import { RulesController } from './rule-preview/rules.controller';

/** The alert queue over REST and the live socket, and rule backtesting. */
@Module({
  imports: [AlertingModule, IdentityModule, AuthModule, VitalsModule],
  controllers: [AlertsController, RulesController],
  providers: [AlertsGateway, RulePreviewService],
})
export class AlertingHttpModule {}
