import { Injectable } from '@nestjs/common';
import { ALERTS_NAMESPACE } from '@homeward/contracts';
import { AccessPolicy } from '@homeward/access';
import { SocketEmitter } from '@homeward/platform';
import type { VisitRow } from '../telehealth.rows';
import { mapVisitSummary } from './visit.dto';

/** Pushes `visit.updated` to the consoles that see the patient (the `/alerts` socket every console holds). */
@Injectable()
export class VisitPublisher {
  constructor(
    private readonly emitter: SocketEmitter,
    private readonly access: AccessPolicy,
  ) {}

  async visitUpdated(visit: VisitRow): Promise<void> {
    const rooms = await this.access.patientRooms({
      organizationId: visit.organizationId,
      patientId: visit.patientId,
    });
    this.emitter.emit(ALERTS_NAMESPACE, rooms, 'visit.updated', mapVisitSummary(visit));
  }
}
