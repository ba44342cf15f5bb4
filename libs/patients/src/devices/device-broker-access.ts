import {
  commandsTopic,
  deviceClientId,
  devicePublishTopics,
  deviceSubscribeFilter,
  receiptsTopic,
} from '@homeward/contracts';
import type { Logger } from 'pino';
import {
  DynamicSecurityClient,
  DynamicSecurityError,
  type DynamicSecurityClientOptions,
  type DynsecAcl,
  type DynsecCommand,
  type DynsecResult,
} from '@homeward/platform';

/** What the broker must be told about devices, so that it enforces their access itself. */
export interface DeviceBrokerAccess {
  /**
   * Lets a newly registered device connect with its id as username, its secret as password and
   * the client id `device-{id}` only, publish only to its readings topic and subscribe only below
   * its own topics. Resolves once the broker will accept the device; rejects otherwise.
   */
  provisionDevice(device: { id: string; secret: string }): Promise<void>;
  /**
   * Called before the deactivation is recorded: from now on the broker refuses the device and
   * disconnects it where it can. Idempotent.
   */
  deactivateDevice(deviceId: string): Promise<void>;
  /** Called before the reactivation is recorded: the broker accepts the device again. Idempotent. */
  reactivateDevice(deviceId: string): Promise<void>;
  /**
   * Called before the new secret's hash is recorded: the old secret stops working and a
   * connected device is disconnected where the broker allows it.
   */
  rotateSecret(device: { id: string; secret: string }): Promise<void>;
  /**
   * Closes the device's current connection where the platform can (the embedded broker);
   * called once the database says the device may not reconnect with what it holds.
   */
  disconnectDevice(deviceId: string): Promise<void>;
  /**
   * Brings the broker's rules for these devices up to what `provisionDevice` grants today
   * (devices provisioned before a topic was added lack it). Resolves with how many changed.
   */
  updateDeviceRules(deviceIds: string[]): Promise<number>;
  close(): Promise<void>;
}

export const DEVICE_BROKER_ACCESS = Symbol('DEVICE_BROKER_ACCESS');

/** The connections of an in-process broker, which the platform can close itself. */
export interface DeviceConnections {
  /** Closes the connection with this client id, if there is one. */
  disconnect(clientId: string): void;
}

/**
 * The embedded broker and brokers that ask the API on every connect (mosquitto-go-auth, EMQX
 * HTTP authentication) check devices against the database: nothing to provision, and a
 * deactivated device or an old secret is refused at its next connect.
 *
 * An existing connection to the embedded broker is closed through the connections it attaches.
 * A connection to a broker that only asks the API over HTTP cannot be closed from here: it
 * stays open until the device disconnects or the broker's management API closes it
 * (EMQX: `DELETE /api/v5/clients/device-{id}`), and until then only ingest's
 * `device_deactivated` check keeps its messages out (see docs/deployment.md).
 */
export class PlatformCheckedDeviceAccess implements DeviceBrokerAccess {
  private connections?: DeviceConnections;

  /** The embedded broker hands over its connections once it serves devices. */
  attachConnections(connections: DeviceConnections): void {
    this.connections = connections;
  }

  async provisionDevice(): Promise<void> {}

  deactivateDevice(deviceId: string): Promise<void> {
    return this.disconnectDevice(deviceId);
  }

  async reactivateDevice(): Promise<void> {}

  rotateSecret(device: { id: string }): Promise<void> {
    return this.disconnectDevice(device.id);
  }

  disconnectDevice(deviceId: string): Promise<void> {
    this.connections?.disconnect(deviceClientId(deviceId));
    return Promise.resolve();
  }

  updateDeviceRules(): Promise<number> {
    return Promise.resolve(0);
  }

  async close(): Promise<void> {}
}

/**
 * A device's own dynamic-security role. Mosquitto 2.0's plugin has no `%u`/`%c` substitution in
 * ACL topics (checked with 2.0.11), so each device gets a role naming its topics; publishing and
 * subscribing elsewhere falls to the default ACL access, which must deny both.
 */
export function deviceRoleAcls(deviceId: string): DynsecAcl[] {
  return [
    ...devicePublishTopics(deviceId).map((topic): DynsecAcl => ({
      acltype: 'publishClientSend',
      topic,
      allow: true,
    })),
    { acltype: 'subscribePattern', topic: deviceSubscribeFilter(deviceId), allow: true },
  ];
}

/**
 * The role that lets the platform's service account send devices their commands and ingest's
 * receipts: the plugin's admin role (from `mosquitto_ctrl dynsec init`) may not publish outside
 * the control topic, and Mosquitto sends a PUBACK for a denied publish and drops it (mosquitto
 * `src/handle_publish.c`).
 */
export const SERVICE_COMMANDS_ROLE = 'homeward-device-commands';

export const SERVICE_COMMANDS_ACLS: DynsecAcl[] = [
  { acltype: 'publishClientSend', topic: commandsTopic('+'), allow: true },
  { acltype: 'publishClientSend', topic: receiptsTopic('+'), allow: true },
];

/**
 * Gives the service account SERVICE_COMMANDS_ROLE with every ACL of SERVICE_COMMANDS_ACLS, once
 * per broker (restarts and replicas find it there; a role made by an older version gains the
 * ACLs it lacks). The plugin disconnects every connection of a client whose roles change, or
 * one of whose roles gains an ACL, this control connection included, so the answer to
 * `addClientRole` or `addRoleACL` may never come: the state is looked up again once the
 * connection is back.
 */
async function grantServiceCommands(dynsec: DynamicSecurityClient, username: string): Promise<void> {
  const [created] = await dynsec.execute([
    { command: 'createRole', rolename: SERVICE_COMMANDS_ROLE, acls: SERVICE_COMMANDS_ACLS },
  ]);
  if (created.error !== undefined && !/already exists/i.test(created.error))
    throw new DynamicSecurityError('createRole', created.error);
  if (created.error !== undefined) await addMissingAcls(dynsec);
  for (let attempt = 0; attempt < 3; attempt++) {
    await waitUntilConnected(dynsec);
    const data = (await dynsec.run({ command: 'getClient', username })) as {
      client?: { roles?: Array<{ rolename: string }> };
    };
    if (data.client?.roles?.some((role) => role.rolename === SERVICE_COMMANDS_ROLE)) return;
    let refused: string | undefined;
    try {
      const [added] = await dynsec.execute([
        { command: 'addClientRole', username, rolename: SERVICE_COMMANDS_ROLE },
      ]);
      if (added.error !== undefined && !/already/i.test(added.error)) refused = added.error;
    } catch (error) {
      // Unanswered because the plugin dropped this connection: look again once it is back.
      if (!(error instanceof DynamicSecurityError)) throw error;
    }
    if (refused) throw new DynamicSecurityError('addClientRole', refused);
  }
  throw new DynamicSecurityError('addClientRole', `${username} did not get ${SERVICE_COMMANDS_ROLE}`);
}

/** Adds to an existing SERVICE_COMMANDS_ROLE the ACLs it lacks; an ACL already there is left as it is. */
async function addMissingAcls(dynsec: DynamicSecurityClient): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    await waitUntilConnected(dynsec);
    const data = (await dynsec.run({ command: 'getRole', rolename: SERVICE_COMMANDS_ROLE })) as {
      role?: { acls?: Array<{ acltype: string; topic: string }> };
    };
    const present = new Set((data.role?.acls ?? []).map((acl) => `${acl.acltype} ${acl.topic}`));
    const missing = SERVICE_COMMANDS_ACLS.filter((acl) => !present.has(`${acl.acltype} ${acl.topic}`));
    if (missing.length === 0) return;
    let refused: string | undefined;
    try {
      const results = await dynsec.execute(
        missing.map((acl) => ({ command: 'addRoleACL' as const, rolename: SERVICE_COMMANDS_ROLE, ...acl })),
      );
      refused = results.find(
        (result) => result.error !== undefined && !/already exists/i.test(result.error),
      )?.error;
    } catch (error) {
      // Unanswered because the plugin dropped this connection (the role gained an ACL).
      if (!(error instanceof DynamicSecurityError)) throw error;
    }
    if (refused) throw new DynamicSecurityError('addRoleACL', refused);
  }
  throw new DynamicSecurityError('addRoleACL', `${SERVICE_COMMANDS_ROLE} did not get its ACLs`);
}

/**
 * The plugin's default access. Another process starting at the same time may grant the service
 * account its role, and the plugin then drops this connection with the question unanswered: ask
 * again once it is back, as the grants themselves do.
 */
async function readDefaultAccess(
  dynsec: DynamicSecurityClient,
): Promise<{ acls?: Array<{ acltype: string; allow: boolean }> }> {
  for (let attempt = 1; ; attempt++) {
    await waitUntilConnected(dynsec);
    try {
      return (await dynsec.run({ command: 'getDefaultACLAccess' })) as {
        acls?: Array<{ acltype: string; allow: boolean }>;
      };
    } catch (error) {
      if (!(error instanceof DynamicSecurityError) || attempt === 3) throw error;
    }
  }
}

async function waitUntilConnected(dynsec: DynamicSecurityClient, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!dynsec.connected) {
    if (Date.now() > deadline)
      throw new DynamicSecurityError('connect', 'the control connection did not come back');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Provisions devices on Mosquitto's dynamic-security plugin, as the platform's service account. */
export class DynsecDeviceAccess implements DeviceBrokerAccess {
  private constructor(
    private readonly dynsec: DynamicSecurityClient,
    private readonly logger: Logger,
  ) {}

  /**
   * Connects to the control API and checks that the plugin denies by default what device roles
   * do not allow; start-up fails when either is not so.
   */
  static async start(options: DynamicSecurityClientOptions, logger: Logger): Promise<DynsecDeviceAccess> {
    const dynsec = await DynamicSecurityClient.connect({ ...options, logger });
    try {
      const data = await readDefaultAccess(dynsec);
      const allowed = (data.acls ?? []).filter(
        (acl) => acl.allow && (acl.acltype === 'publishClientSend' || acl.acltype === 'subscribe'),
      );
      if (allowed.length > 0)
        throw new DynamicSecurityError(
          'getDefaultACLAccess',
          `default access allows ${allowed.map((acl) => acl.acltype).join(' and ')}; devices would not be confined to their topics (set it to deny)`,
        );
      await grantServiceCommands(dynsec, options.username);
    } catch (error) {
      await dynsec.close();
      throw error;
    }
    return new DynsecDeviceAccess(dynsec, logger);
  }

  async provisionDevice(device: { id: string; secret: string }): Promise<void> {
    const rolename = deviceClientId(device.id);
    let results: DynsecResult[];
    try {
      results = await this.dynsec.execute([
        { command: 'createRole', rolename, acls: deviceRoleAcls(device.id) },
        {
          command: 'createClient',
          username: device.id,
          password: device.secret,
          clientid: deviceClientId(device.id),
          roles: [{ rolename }],
        },
      ]);
    } catch (error) {
      await this.removeDevice(device.id, undefined);
      throw error;
    }
    const failed = results.find((result) => result.error !== undefined);
    if (failed) {
      await this.removeDevice(device.id, results);
      throw new DynamicSecurityError(failed.command, failed.error ?? 'refused');
    }
  }

  /** `disableClient` also disconnects every connection of the device (checked with Mosquitto 2.0.11). */
  async deactivateDevice(deviceId: string): Promise<void> {
    await this.runAll([{ command: 'disableClient', username: deviceId }]);
  }

  async reactivateDevice(deviceId: string): Promise<void> {
    await this.runAll([{ command: 'enableClient', username: deviceId }]);
  }

  /**
   * `setClientPassword` disconnects the device's connections too (checked with Mosquitto
   * 2.0.11, and by test/device-management.e2e-spec.ts): the old secret is of no use at once.
   * A deactivated device stays disabled.
   */
  async rotateSecret(device: { id: string; secret: string }): Promise<void> {
    await this.runAll([{ command: 'setClientPassword', username: device.id, password: device.secret }]);
  }

  /** Nothing to do: disabling and a new password already closed the connection. */
  async disconnectDevice(): Promise<void> {}

  /**
   * Adds each ACL of deviceRoleAcls the device's role lacks. The plugin refuses an ACL the role
   * already has ("ACL with this topic already exists"), so repeating this is harmless; a
   * device whose role is gone (removed by hand) is logged and left alone.
   */
  async updateDeviceRules(deviceIds: string[]): Promise<number> {
    let added = 0;
    // About 200 commands a request: one answer message, well inside the command timeout.
    for (let start = 0; start < deviceIds.length; start += 50) {
      const commands = deviceIds.slice(start, start + 50).flatMap((id) =>
        deviceRoleAcls(id).map((acl): DynsecCommand => ({
          command: 'addRoleACL',
          rolename: deviceClientId(id),
          ...acl,
        })),
      );
      const results = await this.dynsec.execute(commands);
      results.forEach((result, index) => {
        if (result.error === undefined) added += 1;
        else if (!/already exists/i.test(result.error))
          this.logger.warn(
            { rolename: (commands[index] as { rolename: string }).rolename, reason: result.error },
            'Could not bring a device role up to date',
          );
      });
    }
    return added;
  }

  async close(): Promise<void> {
    await this.dynsec.close();
  }

  private async runAll(commands: DynsecCommand[]): Promise<void> {
    const results = await this.dynsec.execute(commands);
    const failed = results.find((result) => result.error !== undefined);
    if (failed) throw new DynamicSecurityError(failed.command, failed.error ?? 'refused');
  }

  /**
   * Removes what a failed provisioning created, leaving the broker as it was: all of it when the
   * request went unanswered (the id is new, so nothing under it belongs to anyone else).
   */
  private async removeDevice(deviceId: string, created: DynsecResult[] | undefined): Promise<void> {
    const [role, client] = created ?? [undefined, undefined];
    const commands = [
      ...(client?.error === undefined ? [{ command: 'deleteClient' as const, username: deviceId }] : []),
      ...(role?.error === undefined
        ? [{ command: 'deleteRole' as const, rolename: deviceClientId(deviceId) }]
        : []),
    ];
    if (commands.length === 0) return;
    try {
      await this.dynsec.execute(commands);
    } catch (error) {
      this.logger.warn(
        { err: error, deviceId },
        'Could not remove a partly provisioned device from the broker; its secret was never handed out',
      );
    }
  }
}
