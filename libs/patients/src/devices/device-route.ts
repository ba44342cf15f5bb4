import type { DeviceRouteRow } from '../patients.rows';

/**
 * The patient a device was with when a measurement was taken: the latest assignment at or
 * before `measuredAt`, or the first one for a measurement stamped before the device was
 * registered (its clock was wrong; it can only have been with that patient).
 */
export function patientAt(
  route: Pick<DeviceRouteRow, 'patientId' | 'assignments'>,
  measuredAt: Date,
): string {
  const { assignments } = route;
  if (assignments.length === 0) return route.patientId;
  const at = measuredAt.getTime();
  for (let i = assignments.length - 1; i > 0; i--)
    if (assignments[i].assignedAt.getTime() <= at) return assignments[i].patientId;
  return assignments[0].patientId;
}
