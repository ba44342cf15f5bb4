import { parentPort, workerData } from 'node:worker_threads';
import { runProbes, type ProbeThreadInput } from './alert-latency';

// The alert-latency probes on an event loop of their own (see measureAlertLatency).
void runProbes(workerData as ProbeThreadInput).then(
  (output) => parentPort?.postMessage(output),
  (error: unknown) => {
    throw error;
  },
);
