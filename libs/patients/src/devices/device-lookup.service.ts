import { Injectable } from '@nestjs/common';
import type { DeviceRouteRow } from '../patients.rows';
import { DeviceRepository } from './device.repository';

/**
 * Which patient an active device reports for, for the ingest path: it needs no session, audit
 * or broker access, so it comes in a module of its own that ingest processes load alone.
 */
@Injectable()
export class DeviceLookupService {
  constructor(private readonly devices: DeviceRepository) {}

  /** Patient and organisation of each active device among `ids`. */
  activeRoutes(ids: string[]): Promise<DeviceRouteRow[]> {
    return this.devices.findActiveRoutes(ids);
  }
}
