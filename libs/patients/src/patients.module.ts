import { Module } from '@nestjs/common';
import { AccessModule, CareTeamsModule, ConsentModule } from '@homeward/access';
import { IdentityModule } from '@homeward/identity';
import { DeviceBrokerAccessModule } from './devices/device-broker-access.module';
import { DeviceLookupService } from './devices/device-lookup.service';
import { DeviceRepository } from './devices/device.repository';
import { DeviceService } from './devices/device.service';
import { PatientRepository } from './patients/patient.repository';
import { PatientService } from './patients/patient.service';

/** Patients and their devices, for the processes that manage them (API, all-in-one). */
@Module({
  imports: [IdentityModule, AccessModule, ConsentModule, CareTeamsModule, DeviceBrokerAccessModule],
  providers: [PatientService, PatientRepository, DeviceService, DeviceRepository],
  exports: [PatientService, DeviceService],
})
export class PatientsModule {}

/** Only the device → patient routing, for the ingest path: no sessions, audit or broker access. */
@Module({ providers: [DeviceLookupService, DeviceRepository], exports: [DeviceLookupService] })
export class DeviceLookupModule {}
