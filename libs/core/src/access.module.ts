import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '@homeward/config';
import { DeviceBrokerAccessModule } from '@homeward/messaging';
import { AlertService } from './alerts/alert.service';
import { AuditService } from './audit/audit.service';
import { AuthService } from './auth/auth.service';
import { DemoSeedService } from './demo/demo-seed.service';
import { DeviceService } from './devices/device.service';
import { PatientService } from './patients/patient.service';
import { VitalsService } from './vitals/vitals.service';

const SERVICES = [
  AlertService,
  AuditService,
  AuthService,
  DemoSeedService,
  DeviceService,
  PatientService,
  VitalsService,
];

/** People, patients, devices and the queries coordinators run; every call is scoped to an organisation. */
@Module({
  imports: [
    DeviceBrokerAccessModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // Processes without JWT_SECRET (ingest, worker) never sign or verify tokens.
        secret: config.JWT_SECRET ?? 'unused-outside-the-api',
        signOptions: { algorithm: 'HS256', expiresIn: config.JWT_TTL_SECONDS, issuer: 'homeward' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'homeward' },
      }),
    }),
  ],
  providers: SERVICES,
  exports: SERVICES,
})
export class AccessModule {}
