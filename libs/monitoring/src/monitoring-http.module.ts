import { Module } from '@nestjs/common';
import { AccessModule } from '@homeward/access';
import { IdentityModule } from '@homeward/identity';
import { RejectionRepository } from './ingest/rejection.repository';
import { RejectionsController } from './ingest/rejections.controller';
import { RejectionsService } from './ingest/rejections.service';
import { VitalsModule } from './monitoring.module';
import { VitalsController } from './readings/vitals.controller';

@Module({
  imports: [VitalsModule, IdentityModule, AccessModule],
  controllers: [VitalsController, RejectionsController],
  providers: [RejectionsService, RejectionRepository],
})
export class MonitoringHttpModule {}
