import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { DEVICE_KINDS, deviceClientId } from '@homeward/contracts';
import { formatAge } from '../lib/format';
import { useNow } from '../lib/use-now';
import { api, unwrap, type Schemas } from '../api/client';
import { DEVICE_KIND_NAMES } from './format';
import { Moment } from './moment';

type Credentials = Schemas['DeviceRegisteredDto'];

/** A patient's devices with their last contact, and registration for those allowed to. */
export function DevicesSection({
  patientId,
  patientTimeZone,
  canRegister,
}: {
  patientId: string;
  patientTimeZone: string | null;
  canRegister: boolean;
}) {
  const now = useNow();
  const devices = useQuery({
    queryKey: ['patient', patientId, 'devices'],
    queryFn: () =>
      unwrap(api.GET('/api/patients/{patientId}/devices/contact', { params: { path: { patientId } } })),
  });
  // The secret lives only here, never in the query cache: gone once dismissed or the page is left.
  const [credentials, setCredentials] = useState<Credentials | null>(null);
  const [registering, setRegistering] = useState(false);
  const items = devices.data?.items ?? [];
  return (
    <section aria-labelledby="devices-title" className="panel">
      <div className="page-heading">
        <h2 id="devices-title">Devices</h2>
        {canRegister && !registering && !credentials ? (
          <button type="button" onClick={() => setRegistering(true)}>
            Register device
          </button>
        ) : null}
      </div>
      {credentials ? (
        <DeviceCredentials credentials={credentials} onDone={() => setCredentials(null)} />
      ) : null}
      {canRegister && registering ? (
        <RegisterDeviceForm
          patientId={patientId}
          onRegistered={(registered) => {
            setRegistering(false);
            setCredentials(registered);
          }}
          onCancel={() => setRegistering(false)}
        />
      ) : null}
      {devices.isError ? (
        <p role="alert" className="error">
          Could not load the devices: {devices.error.message}
        </p>
      ) : items.length === 0 && devices.isSuccess ? (
        <p className="muted">No devices registered.</p>
      ) : (
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Label</th>
              <th scope="col">Registered</th>
              <th scope="col">Last contact</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {items.map((device) => (
              <tr key={device.id}>
                <th scope="row">
                  {DEVICE_KIND_NAMES[device.kind] ?? device.kind}
                  <br />
                  <code className="muted">{device.id}</code>
                </th>
                <td>{device.label ?? <span className="muted">—</span>}</td>
                <td>
                  <Moment iso={device.createdAt} patientTimeZone={patientTimeZone} />
                </td>
                <td>
                  {device.lastContactAt ? (
                    <>
                      {formatAge(device.lastContactAt, now)}
                      <br />
                      <span className="muted">
                        <Moment iso={device.lastContactAt} patientTimeZone={patientTimeZone} />
                      </span>
                    </>
                  ) : (
                    <span className="muted">Never heard from</span>
                  )}
                </td>
                <td>
                  {device.revokedAt ? 'Revoked' : 'Active'}
                  {device.clockSuspect ? (
                    <>
                      <br />
                      <span className="warning-text">
                        Clock suspect: its times are whole hours off. Check the device's time zone.
                      </span>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RegisterDeviceForm({
  patientId,
  onRegistered,
  onCancel,
}: {
  patientId: string;
  onRegistered: (credentials: Credentials) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<(typeof DEVICE_KINDS)[number]>('bp_cuff');
  const [label, setLabel] = useState('');
  const register = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/patients/{patientId}/devices', {
          params: { path: { patientId } },
          body: { kind, label: label.trim() || undefined },
        }),
      ),
    onSuccess: async (registered) => {
      onRegistered(registered);
      await queryClient.invalidateQueries({ queryKey: ['patient', patientId, 'devices'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    register.mutate();
  };
  return (
    <form className="register-form" aria-labelledby={`${id}-title`} onSubmit={submit}>
      <h3 id={`${id}-title`}>Register a device</h3>
      <div className="form-grid">
        <label htmlFor={`${id}-kind`}>Device type</label>
        <select
          id={`${id}-kind`}
          autoFocus
          value={kind}
          onChange={(event) => setKind(event.target.value as (typeof DEVICE_KINDS)[number])}
        >
          {DEVICE_KINDS.map((value) => (
            <option key={value} value={value}>
              {DEVICE_KIND_NAMES[value] ?? value}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-label`}>Label (optional)</label>
        <input
          id={`${id}-label`}
          maxLength={200}
          value={label}
          placeholder="e.g. cuff in the living room"
          onChange={(event) => setLabel(event.target.value)}
        />
      </div>
      {register.isError ? (
        <p role="alert" className="error">
          Could not register the device: {register.error.message}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" disabled={register.isPending}>
          {register.isPending ? 'Registering…' : 'Register device'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** The credentials of a device just registered: the only time the secret is shown. */
function DeviceCredentials({ credentials, onDone }: { credentials: Credentials; onDone: () => void }) {
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  // Keyboard and screen-reader users land on the credentials, not on a form that is gone.
  useEffect(() => panel.current?.focus(), []);
  return (
    <div className="credentials" role="alert" aria-labelledby={titleId} tabIndex={-1} ref={panel}>
      <h3 id={titleId}>Device credentials: copy them now</h3>
      <p>
        <strong>You will not see this secret again.</strong> Only its hash is stored; if it is lost, register
        the device again.
      </p>
      <dl>
        <dt>Device id (MQTT username)</dt>
        <dd>
          <code data-credential="id">{credentials.id}</code>
        </dd>
        <dt>Secret (MQTT password)</dt>
        <dd>
          <code data-credential="secret">{credentials.secret}</code>
        </dd>
        <dt>Client id</dt>
        <dd>
          <code>{deviceClientId(credentials.id)}</code>
        </dd>
        <dt>Broker</dt>
        <dd>
          <code>{credentials.mqttUrl}</code>
        </dd>
        <dt>Topic</dt>
        <dd>
          <code>{credentials.topic}</code>
        </dd>
      </dl>
      <button type="button" className="primary" onClick={onDone}>
        I have copied the credentials
      </button>
    </div>
  );
}
