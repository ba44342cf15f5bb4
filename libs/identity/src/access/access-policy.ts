import { Injectable } from '@nestjs/common';
import { organizationRoom, userRoom } from '@homeward/contracts';
import type { Principal } from './principal';

/**
 * The patients whose data a principal may see, as every patient-data query carries it. Today
 * that is the principal's organisation; care teams and consent narrow it here later, and every
 * query and socket room follows.
 */
export interface PatientScope {
  readonly organizationId: string;
}

/** The one place that decides who sees which patients, over REST and over sockets. */
@Injectable()
export class AccessPolicy {
  patientScope(principal: Principal): PatientScope {
    return { organizationId: principal.organizationId };
  }

  /**
   * The rooms a principal's socket joins: it receives the events of every patient in its scope,
   * and the notifications addressed to the user.
   */
  socketRooms(principal: Principal): string[] {
    return [organizationRoom(principal.organizationId), userRoom(principal.userId)];
  }

  /** The rooms a notification for one user goes to: that user's sockets only. */
  userRooms(userId: string): string[] {
    return [userRoom(userId)];
  }

  /** The rooms an event about a patient goes to: the sockets of everyone whose scope holds the patient. */
  patientRooms(patient: { organizationId: string; patientId: string }): string[] {
    return [organizationRoom(patient.organizationId)];
  }
}
