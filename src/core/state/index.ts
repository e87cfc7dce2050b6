export { foldState } from './fold';
export { planStateOp } from './plan';
export type { StateContext } from './plan';
export { summarizeState } from './summary';
export { compareStateOps, orderStateOps } from './order';
export { collectGarbage } from './garbage';
