-- Up Migration
-- How to reach a patient: optional, checked as the API checks them (E.164 phone numbers,
-- ITU-T E.164; an email address of at most 254 characters, RFC 5321 §4.5.3.1.3), so a row written
-- around the API cannot hold what the console would offer as a tel: or mailto: link.
ALTER TABLE patients
  ADD COLUMN phone text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  ADD COLUMN email text CHECK (char_length(email) <= 254 AND email ~ '^[^@\s]+@[^@\s]+$');

-- Down Migration
-- Forward-only: schema changes are undone by a new migration, never by dropping clinical data.
