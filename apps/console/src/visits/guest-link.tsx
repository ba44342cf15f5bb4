import { useMutation } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, unwrap } from '../api/client';
import { PatientLinkBox } from './patient-link';

/** A one-time link for a guest (an interpreter, a family caregiver), named by its label in the call. */
export function GuestLinkForm({ visitId }: { visitId: string }) {
  const [label, setLabel] = useState('');
  const id = useId();
  const invite = useMutation({
    mutationFn: (guest: string) =>
      unwrap(
        api.POST('/api/visits/{visitId}/guest-links', {
          params: { path: { visitId } },
          body: { label: guest },
        }),
      ),
  });
  return (
    <div className="guest-link">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          invite.mutate(label.trim(), { onSuccess: () => setLabel('') });
        }}
      >
        <label htmlFor={id}>Invite a guest (interpreter, family caregiver)</label>
        <div className="patient-link-row">
          <input
            id={id}
            required
            maxLength={80}
            placeholder="Their name or role"
            value={label}
            onChange={(event) => setLabel(event.target.value)}
          />
          <button type="submit" disabled={invite.isPending || !label.trim()}>
            Create link
          </button>
        </div>
      </form>
      {invite.data ? (
        <PatientLinkBox
          link={invite.data}
          label={`Link for ${invite.data.label}`}
          recipient={invite.data.label}
        />
      ) : null}
      {invite.isError ? (
        <p role="alert" className="error">
          Could not create the guest link: {invite.error.message}
        </p>
      ) : null}
    </div>
  );
}
