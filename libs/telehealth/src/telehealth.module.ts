import { Module } from '@nestjs/common';
import { AlertingModule } from '@homeward/alerting';
import { CareModule } from '@homeward/care';
import { AccessModule, ConsentModule } from '@homeward/access';
import { IdentityModule } from '@homeward/identity';
import { NotificationsModule } from '@homeward/notifications';
import { PatientsModule } from '@homeward/patients';
import { VisitLinkRepository } from './links/visit-link.repository';
import { VisitJoinService } from './links/visit-join.service';
import { LiveKitRooms } from './livekit/livekit-rooms';
import { VisitJobs } from './no-show/visit.jobs';
import { VisitNoShowService } from './no-show/visit-no-show.service';
import { VisitScheduler } from './no-show/visit-scheduler';
import { VisitLifecycle } from './visits/visit-lifecycle';
import { VisitParticipantRepository } from './visits/visit-participant.repository';
import { VisitPublisher } from './visits/visit-publisher';
import { VisitRepository } from './visits/visit.repository';
import { VisitService } from './visits/visit.service';
import { VisitWebhookService } from './webhooks/visit-webhook.service';
import { WebhookEventRepository } from './webhooks/webhook-event.repository';

const PROVIDERS = [
  LiveKitRooms,
  VisitRepository,
  VisitParticipantRepository,
  VisitLinkRepository,
  WebhookEventRepository,
  VisitLifecycle,
  VisitPublisher,
  VisitScheduler,
  VisitJobs,
  VisitService,
  VisitJoinService,
  VisitWebhookService,
  VisitNoShowService,
];

/** Video visits: LiveKit rooms and tokens, join links, LiveKit's webhooks, missed visits. */
@Module({
  imports: [
    IdentityModule,
    AccessModule,
    ConsentModule,
    PatientsModule,
    AlertingModule,
    NotificationsModule,
    CareModule,
  ],
  providers: PROVIDERS,
  exports: [VisitService, VisitJoinService, VisitWebhookService, VisitNoShowService, VisitJobs],
})
export class TelehealthModule {}
