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

/** Only the processes that serve the API load this module, and their config requires the secret. */
function requireJwtSecret(config: AppConfig): string {
  if (!config.JWT_SECRET) throw new Error('JWT_SECRET is required wherever the API runs');
  return config.JWT_SECRET;
}

/** People, patients, devices and the queries coordinators run; every call is scoped to an organisation. */
@Module({
  imports: [
    DeviceBrokerAccessModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: requireJwtSecret(config),
        signOptions: { algorithm: 'HS256', expiresIn: config.JWT_TTL_SECONDS, issuer: 'homeward' },
        verifyOptions: { algorithms: ['HS256'], issuer: 'homeward' },
      }),
    }),
  ],
  providers: SERVICES,
  exports: SERVICES,
})
export class AccessModule {}
