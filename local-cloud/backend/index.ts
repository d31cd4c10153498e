export { loadAssemblyFiles, ownerId } from './assembly-files';
export type { AssemblyFiles, CfnResource, CfnTemplate, StackTemplate } from './assembly-files';
export { createEvaluator, UnresolvableReferenceError } from './intrinsics';
export type { Evaluate, EvaluatorOptions, ResourceReference, ResourceResolver } from './intrinsics';
export {
  appSyncApiIdFor,
  functionNameFor,
  GRAPHQL_PATH,
  localResourceResolver,
  type LocalEnvironment,
} from './local-values';
export type * from './model';
export { DEFAULT_BASE_URL, loadAssembly, readAssembly, type Assembly } from './read-assembly';
export { generateLocalOutputs, type LocalOutputs, type LocalOutputsOptions } from './outputs';
export { createTables, type CreateTablesResult } from './tables';
