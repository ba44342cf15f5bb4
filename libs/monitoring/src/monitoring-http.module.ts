import { Module } from '@nestjs/common';
import { VitalsModule } from './monitoring.module';
import { VitalsController } from './readings/vitals.controller';

@Module({ imports: [VitalsModule], controllers: [VitalsController] })
export class MonitoringHttpModule {}
