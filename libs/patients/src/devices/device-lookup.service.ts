import { Injectable } from '@nestjs/common';
import type { Queryable } from '@homeward/platform';
import type { DeviceRouteRow } from '../patients.rows';
import { DeviceRepository } from './device.repository';

/**
 * Which patient a device reports for, for the ingest path: it needs no session, audit
 * or broker access, so it comes in a module of its own that ingest processes load alone.
 */
@Injectable()
export class DeviceLookupService {
  constructor(private readonly devices: DeviceRepository) {}

  /**
   * Patient, organisation, deactivation time and assignment history of each registered device
   * among `ids` (deactivated ones included, so their messages are rejected as such).
   */
  routes(ids: string[]): Promise<DeviceRouteRow[]> {
    return this.devices.findRoutes(ids);
  }

  /**
   * A value that changes whenever any device is reassigned, deactivated or reactivated: routes
   * kept in memory are good while it stays the same.
   */
  routesVersion(q?: Queryable): Promise<string> {
    return this.devices.routesVersion(q);
  }
}
