import { useId, useRef, useState } from 'react';
import { formatDateTime } from '../lib/format';
import type { PatientLink } from './visit-types';

/** A one-time visit link (the patient's or a guest's) to send by text or email; shown once, with a copy button. */
export function PatientLinkBox({
  link,
  label = 'Link for the patient',
  recipient = 'the patient',
}: {
  link: PatientLink;
  label?: string;
  recipient?: string;
}) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied('yes');
    } catch {
      // No clipboard permission (an http origin, say): select it for the user to copy.
      input.current?.select();
      setCopied('no');
    }
  };
  return (
    <div className="patient-link">
      <label htmlFor={id}>{label}</label>
      <div className="patient-link-row">
        <input id={id} ref={input} readOnly value={link.url} onFocus={(event) => event.target.select()} />
        <button type="button" onClick={() => void copy()}>
          Copy link
        </button>
      </div>
      <p className="hint" role="status">
        {copied === 'yes'
          ? `Copied. Send it to ${recipient} by text or email.`
          : copied === 'no'
            ? 'Could not copy: the link is selected, press Ctrl+C (⌘C) to copy it.'
            : null}{' '}
        Works once, until {formatDateTime(link.expiresAt)}. No sign-in is needed.
      </p>
    </div>
  );
}
