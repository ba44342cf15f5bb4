import { Module } from '@nestjs/common';
import { AccessModule, BreakGlassModule, CareTeamsModule, ConsentModule } from '@homeward/access';
import { IdentityModule } from '@homeward/identity';
import { BreakGlassController } from './break-glass/break-glass.controller';
import { CareTeamsController } from './care-teams/care-teams.controller';
import { ConsentsController } from './consents/consents.controller';
import { DeviceManagementController } from './devices/device-management.controller';
import { DevicesController } from './devices/devices.controller';
import { EmqxAuthController } from './devices/emqx-auth.controller';
import { MqttAuthController } from './devices/mqtt-auth.controller';
import { PatientAccessLogController } from './patients/patient-access-log.controller';
import { PatientAccessLogService } from './patients/patient-access-log.service';
import { PatientsController } from './patients/patients.controller';
import { PatientsModule } from './patients.module';

@Module({
  imports: [PatientsModule, IdentityModule, AccessModule, ConsentModule, BreakGlassModule, CareTeamsModule],
  providers: [PatientAccessLogService],
  controllers: [
    PatientsController,
    PatientAccessLogController,
    CareTeamsController,
    ConsentsController,
    BreakGlassController,
    DevicesController,
    DeviceManagementController,
    MqttAuthController,
    EmqxAuthController,
  ],
})
export class PatientsHttpModule {}
