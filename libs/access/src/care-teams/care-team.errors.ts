import { ConflictException, ForbiddenException, UnprocessableEntityException } from '@nestjs/common';

/** A coordinator named a team of their organisation that they are not a member of. */
export class NotCareTeamMemberError extends ForbiddenException {
  constructor(readonly careTeamIds: readonly string[]) {
    super({
      statusCode: 403,
      error: 'Forbidden',
      code: 'not_care_team_member',
      message: 'You may assign patients only to care teams you are a member of',
      careTeamIds,
    });
  }
}

/**
 * A coordinator or clinician who belongs to no care team registered a patient without naming
 * one: the patient would be created out of their own sight.
 */
export class NoCareTeamError extends UnprocessableEntityException {
  constructor() {
    super({
      statusCode: 422,
      error: 'Unprocessable Entity',
      code: 'no_care_team',
      message:
        'You belong to no care team, so a patient you register would be hidden from you; ask an admin to add you to one',
    });
  }
}

export class CareTeamNameTakenError extends ConflictException {
  constructor(name: string) {
    super({
      statusCode: 409,
      error: 'Conflict',
      code: 'care_team_name_taken',
      message: `The organisation already has a care team named ${name}`,
    });
  }
}

/** Deleting a team that still holds patients would take them out of its members' sight. */
export class CareTeamNotEmptyError extends ConflictException {
  constructor(patientCount: number) {
    super({
      statusCode: 409,
      error: 'Conflict',
      code: 'care_team_not_empty',
      message: `The care team still holds ${patientCount === 1 ? '1 patient' : `${patientCount} patients`}: move them to another team first`,
      patientCount,
    });
  }
}
