/**
 * mqtt.js logs every packet through `debug`, and a call to a disabled `debug` still allocates
 * its arguments: 7 % of ingest's allocations at full load. Spread into a client's options, this
 * turns that off unless DEBUG is set, so `DEBUG=mqttjs*` still shows the packets.
 */
export function packetLogUnlessDebugging(): { log?: () => void } {
  return process.env.DEBUG ? {} : { log: () => undefined };
}
