import { Injectable } from '@nestjs/common';
import { ALERTS_NAMESPACE, type AlertDto } from '@homeward/contracts';
import { AccessPolicy } from '@homeward/access';
import { SocketEmitter } from '@homeward/platform';

/** Pushes alert events to the sockets the access policy names, on whichever API instance holds them. */
@Injectable()
export class AlertPublisher {
  constructor(
    private readonly emitter: SocketEmitter,
    private readonly access: AccessPolicy,
  ) {}

  async alertCreated(alert: AlertDto): Promise<void> {
    const rooms = await this.access.patientRooms({
      organizationId: alert.organizationId,
      patientId: alert.patientId,
    });
    this.emitter.emit(ALERTS_NAMESPACE, rooms, 'alert.created', alert);
  }

  async alertUpdated(alert: AlertDto): Promise<void> {
    const rooms = await this.access.patientRooms({
      organizationId: alert.organizationId,
      patientId: alert.patientId,
    });
    this.emitter.emit(ALERTS_NAMESPACE, rooms, 'alert.updated', alert);
  }
}
