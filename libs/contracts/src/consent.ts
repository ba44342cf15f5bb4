/** What a patient consents to; ingest needs `rpm_monitoring`, video visits `video_visits`. */
export const CONSENT_SCOPES = [
  'rpm_monitoring',
  'video_visits',
  'share_with_caregiver',
  'data_sharing_research',
] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];

/** How a consent was given. `legacy`: recorded by the migration for patients registered before consent was. */
export const CONSENT_METHODS = ['written', 'verbal', 'electronic', 'legacy'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** The methods a person may record through the API: `legacy` is the migration's alone. */
export const RECORDABLE_CONSENT_METHODS = ['written', 'verbal', 'electronic'] as const;
export type RecordableConsentMethod = (typeof RECORDABLE_CONSENT_METHODS)[number];

export const CONSENT_STATUSES = ['active', 'revoked'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];
