import { Module } from '@nestjs/common';
import { AccessModule } from '@homeward/access';
import { AuthModule, IdentityModule } from '@homeward/identity';
import { VisitLinksController } from './links/visit-links.controller';
import { TelehealthModule } from './telehealth.module';
import { VisitsController } from './visits/visits.controller';
import { LiveKitWebhookController } from './webhooks/livekit-webhook.controller';

/** The visit routes, the patients' join-by-link route and LiveKit's webhook. */
@Module({
  imports: [TelehealthModule, IdentityModule, AccessModule, AuthModule],
  controllers: [VisitLinksController, VisitsController, LiveKitWebhookController],
})
export class TelehealthHttpModule {}
