import { Injectable } from '@nestjs/common';
import { organizationRoom, userRoom } from '@homeward/contracts';
import { type Principal, principalKind } from '@homeward/identity';
import { organizationScope, type PatientScope } from './patient-scope';

/** The one place that decides who sees which patients, over REST and over sockets. */
@Injectable()
export class AccessPolicy {
  patientScope(principal: Principal): PatientScope {
    switch (principalKind(principal)) {
      case 'staff':
        return organizationScope(principal.organizationId);
    }
  }

  /**
   * The rooms a principal's socket joins: it receives the events of every patient in its scope,
   * and the notifications addressed to the user.
   */
  socketRooms(principal: Principal): string[] {
    switch (principalKind(principal)) {
      case 'staff':
        return [organizationRoom(principal.organizationId), userRoom(principal.userId)];
    }
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
