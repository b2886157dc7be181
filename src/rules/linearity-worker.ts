// Probes rules with adversarial inputs for linearity.ts: names each input before scanning it, then
// answers each rule's result. The main thread stops this worker when a rule runs past its deadline.
import { parentPort, workerData } from 'node:worker_threads';
import { probeRule } from './adversarial.js';
import type { LinearityWorkerData } from './linearity.js';

const { rules, budget } = workerData as LinearityWorkerData;
for (const { spec, rule } of rules) {
  const result = probeRule(spec, rule, budget, (label) => parentPort?.postMessage({ input: label }));
  parentPort?.postMessage({ result });
}
