import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@homeward/config';
import { LOGGER, type Logger } from '@homeward/observability';
import {
  DEVICE_BROKER_ACCESS,
  DynsecDeviceAccess,
  PlatformCheckedDeviceAccess,
  type DeviceBrokerAccess,
} from './device-broker-access';

/**
 * How registered devices reach the broker's own access rules: provisioned on Mosquitto's
 * dynamic-security plugin with MQTT_DYNSEC, otherwise nothing to do (the broker asks the
 * platform). With MQTT_DYNSEC, start-up fails unless the control API answers.
 */
@Module({
  providers: [
    {
      provide: DEVICE_BROKER_ACCESS,
      inject: [AppConfig, LOGGER],
      useFactory: async (config: AppConfig, logger: Logger): Promise<DeviceBrokerAccess> => {
        if (!config.MQTT_DYNSEC) return new PlatformCheckedDeviceAccess();
        // The config requires all three with MQTT_DYNSEC.
        return DynsecDeviceAccess.start(
          {
            url: config.MQTT_URL!,
            username: config.MQTT_USERNAME!,
            password: config.MQTT_PASSWORD!,
            clientIdPrefix: `homeward-${config.role}-dynsec`,
          },
          logger.child({ component: 'dynamic-security' }),
        );
      },
    },
  ],
  exports: [DEVICE_BROKER_ACCESS],
})
export class DeviceBrokerAccessModule implements OnApplicationShutdown {
  constructor(@Inject(DEVICE_BROKER_ACCESS) private readonly access: DeviceBrokerAccess) {}

  async onApplicationShutdown(): Promise<void> {
    await this.access.close();
  }
}
