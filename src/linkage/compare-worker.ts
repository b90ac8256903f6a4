// A comparison worker (compareInWorkers): compares its share of the pairs into the shared levels.
import { parentPort, workerData } from 'node:worker_threads';
import { type ComparerState, PairComparer } from './pair-comparer';

const { state, left, right, levels, first, step } = workerData as {
  state: ComparerState;
  left: Int32Array;
  right: Int32Array;
  levels: Int8Array;
  first: number;
  step: number;
};
new PairComparer(state).compareInto(left, right, levels, first, step);
parentPort!.postMessage('done');
