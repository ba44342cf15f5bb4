import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { api, unwrap, type Schemas } from '../api/client';

type Patient = Schemas['PatientResponseDto'];

/** The patient's phone (E.164, as the API checks it) and email; an emptied field clears it. */
export function ContactForm({ patient }: { patient: Patient }) {
  const id = useId();
  const queryClient = useQueryClient();
  const [phone, setPhone] = useState(patient.phone ?? '');
  const [email, setEmail] = useState(patient.email ?? '');
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        api.PATCH('/api/patients/{patientId}', {
          params: { path: { patientId: patient.id } },
          body: { phone: phone.trim() || null, email: email.trim() || null },
        }),
      ),
    onSuccess: (saved) => {
      queryClient.setQueryData(['patient', patient.id], saved);
      void queryClient.invalidateQueries({ queryKey: ['patients'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form aria-label="Contact details" onSubmit={submit}>
      <div className="form-grid">
        <label htmlFor={`${id}-phone`}>Phone</label>
        <input
          id={`${id}-phone`}
          type="tel"
          autoComplete="off"
          placeholder="+447700900123"
          aria-describedby={`${id}-phone-hint`}
          value={phone}
          onChange={(event) => setPhone(event.target.value)}
        />
        <label htmlFor={`${id}-email`}>Email</label>
        <input
          id={`${id}-email`}
          type="email"
          autoComplete="off"
          maxLength={254}
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
      </div>
      <p id={`${id}-phone-hint`} className="hint">
        Phone in international form: + then country code and number.
      </p>
      {save.isError ? (
        <p role="alert" className="error">
          Could not save the contact details: {save.error.message}
        </p>
      ) : null}
      {save.isSuccess && !save.isPending ? <p role="status">Contact details saved.</p> : null}
      <div className="form-actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
