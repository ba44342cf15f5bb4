import { Module } from '@nestjs/common';
import { ConsentModule } from '@homeward/access';
import { ConsentsController } from './consents/consents.controller';
import { DeviceManagementController } from './devices/device-management.controller';
import { DevicesController } from './devices/devices.controller';
import { EmqxAuthController } from './devices/emqx-auth.controller';
import { MqttAuthController } from './devices/mqtt-auth.controller';
import { PatientsController } from './patients/patients.controller';
import { PatientsModule } from './patients.module';

@Module({
  imports: [PatientsModule, ConsentModule],
  controllers: [
    PatientsController,
    ConsentsController,
    DevicesController,
    DeviceManagementController,
    MqttAuthController,
    EmqxAuthController,
  ],
})
export class PatientsHttpModule {}
