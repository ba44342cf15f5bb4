import { Module } from '@nestjs/common';
import { CareTimeController } from './care-time/care-time.controller';
import { CareModule } from './care.module';

/** The care-time ledger over REST. */
@Module({
  imports: [CareModule],
  controllers: [CareTimeController],
})
export class CareHttpModule {}
