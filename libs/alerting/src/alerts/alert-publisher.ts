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

  /**
   * Also to the alert's assignee, and to `previousAssignee` when an assignment moved it: whoever
   * held the alert sees it close or pass on, even when the patient is outside their care teams
   * (an on-call clinician's scope holds the patient only while the alert is active and theirs).
   */
  async alertUpdated(alert: AlertDto, previousAssignee?: string | null): Promise<void> {
    const rooms = await this.access.patientRooms({
      organizationId: alert.organizationId,
      patientId: alert.patientId,
    });
    for (const user of [alert.assignedTo, previousAssignee])
      if (user) rooms.push(...this.access.userRooms(user));
    this.emitter.emit(ALERTS_NAMESPACE, [...new Set(rooms)], 'alert.updated', alert);
  }
}
