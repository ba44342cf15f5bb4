export * from './devices/device-lookup.service';
export * from './devices/device-route';
export * from './devices/device.service';
export * from './devices/device-status';
export * from './patients/patient.service';
export * from './patients.module';
export * from './patients-http.module';
export * from './patients.audit';
