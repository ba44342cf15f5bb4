import { Module } from '@nestjs/common';
import { DevicesController } from './devices/devices.controller';
import { EmqxAuthController } from './devices/emqx-auth.controller';
import { MqttAuthController } from './devices/mqtt-auth.controller';
import { PatientsController } from './patients/patients.controller';
import { PatientsModule } from './patients.module';

@Module({
  imports: [PatientsModule],
  controllers: [PatientsController, DevicesController, MqttAuthController, EmqxAuthController],
})
export class PatientsHttpModule {}
