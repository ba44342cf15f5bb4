import { Module } from '@nestjs/common';
import { VisitNoShowProcessor, VisitNoShowSweepProcessor } from './no-show/visit-no-show.processors';
import { TelehealthModule } from './telehealth.module';

/** Telehealth's work in worker processes: `visits.no-show` and its sweep. */
@Module({
  imports: [TelehealthModule],
  providers: [VisitNoShowProcessor, VisitNoShowSweepProcessor],
})
export class TelehealthJobsModule {}
