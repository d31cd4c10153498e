import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The parts of a CloudFormation template this module reads. */
export interface CfnTemplate {
  Parameters?: Record<string, { Type?: string; Default?: unknown }>;
  Resources?: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown }>;
  Metadata?: Record<string, unknown>;
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}

/** One template of the assembly: the root stack or a nested stack. */
export interface StackTemplate {
  /** Construct path of the stack, e.g. `/amplify-…-sandbox-…/data`. */
  path: string;
  file: string;
  template: CfnTemplate;
  /** Where the stack is declared (absent for the root). */
  parent?: { stack: StackTemplate; logicalId: string };
  /** Logical id -> construct path, for every resource of this template. */
  constructPaths: Map<string, string>;
}

export interface AssemblyFiles {
  dir: string;
  /** The CloudFormation stack name of the root (what `ampx` deploys). */
  stackName: string;
  root: StackTemplate;
  stacks: StackTemplate[];
  /** Asset hash -> absolute path of the staged file or directory. */
  assets: Map<string, string>;
}

interface Manifest {
  artifacts?: Record<
    string,
    { type: string; displayName?: string; properties?: { templateFile?: string; file?: string } }
  >;
}

interface TreeNode {
  path?: string;
  attributes?: Record<string, unknown>;
  children?: Record<string, TreeNode>;
}

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, 'utf8')) as T;

/** A nested stack's `TemplateURL` ends in `/<asset hash>.json`. */
const TEMPLATE_HASH = /([0-9a-f]{64})\.json/;

/**
 * Loads a synthesized cloud assembly (`cdk.out`): the root template, every nested template
 * (found through the asset manifest, the same way the CDK CLI uploads them), and the construct
 * path of each resource (from `tree.json`, since Amplify synthesizes without path metadata).
 */
export function loadAssemblyFiles(dir: string): AssemblyFiles {
  const manifest = readJson<Manifest>(path.join(dir, 'manifest.json'));
  const artifacts = Object.entries(manifest.artifacts ?? {});
  const stackArtifacts = artifacts.filter(([, a]) => a.type === 'aws:cloudformation:stack');
  if (stackArtifacts.length !== 1) {
    throw new Error(
      `${dir} holds ${stackArtifacts.length} stacks; expected the one Amplify root stack.`,
    );
  }
  const [stackName, stackArtifact] = stackArtifacts[0]!;
  const templateFile = stackArtifact.properties?.templateFile;
  if (!templateFile) throw new Error(`Stack ${stackName} in ${dir} names no template file.`);

  const assets = new Map<string, string>();
  for (const [, artifact] of artifacts.filter(([, a]) => a.type === 'cdk:asset-manifest')) {
    const file = artifact.properties?.file;
    if (!file) continue;
    const assetManifest = readJson<{ files?: Record<string, { source: { path: string } }> }>(
      path.join(dir, file),
    );
    for (const [hash, entry] of Object.entries(assetManifest.files ?? {})) {
      assets.set(hash, path.resolve(dir, entry.source.path));
    }
  }

  const pathsByLogicalId = readConstructPaths(dir);
  const rootPath = `/${stackArtifact.displayName ?? stackName}`;
  const root = makeStack(rootPath, path.join(dir, templateFile), pathsByLogicalId);
  const stacks = [root];
  for (let i = 0; i < stacks.length; i += 1) {
    const stack = stacks[i]!;
    for (const [logicalId, resource] of Object.entries(stack.template.Resources ?? {})) {
      if (resource.Type !== 'AWS::CloudFormation::Stack') continue;
      const hash = TEMPLATE_HASH.exec(JSON.stringify(resource.Properties?.TemplateURL))?.[1];
      const file = hash ? assets.get(hash) : undefined;
      if (!file) {
        throw new Error(
          `Nested stack ${logicalId} in ${stack.file}: template not in the assembly.`,
        );
      }
      // CDK places a nested stack's resource at `<id>.NestedStack/<id>.NestedStackResource`
      // beside the stack construct `<id>` itself.
      const resourcePath = stack.constructPaths.get(logicalId) ?? '';
      const nestedPath = resourcePath.replace(
        /\/([^/]+)\.NestedStack\/\1\.NestedStackResource$/,
        '/$1',
      );
      const nested = makeStack(nestedPath, file, pathsByLogicalId);
      nested.parent = { stack, logicalId };
      stacks.push(nested);
    }
  }
  return { dir, stackName, root, stacks, assets };
}

function makeStack(
  stackPath: string,
  file: string,
  pathsByLogicalId: Map<string, string[]>,
): StackTemplate {
  const template = readJson<CfnTemplate>(file);
  const constructPaths = new Map<string, string>();
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    const fromMetadata = resource.Metadata?.['aws:cdk:path'];
    if (typeof fromMetadata === 'string') {
      constructPaths.set(logicalId, `/${fromMetadata}`);
      continue;
    }
    // Logical ids are unique per template only: of the candidates under this stack's path,
    // the shallowest is this stack's own (a nested stack's resources sit one level deeper).
    const candidates = (pathsByLogicalId.get(logicalId) ?? []).filter((p) =>
      p.startsWith(`${stackPath}/`),
    );
    candidates.sort((a, b) => a.split('/').length - b.split('/').length);
    if (candidates[0]) constructPaths.set(logicalId, candidates[0]);
  }
  return { path: stackPath, file, template, constructPaths };
}

/** `tree.json`: logical id -> construct paths of every CloudFormation resource with that id. */
function readConstructPaths(dir: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let tree: { tree?: TreeNode };
  try {
    tree = readJson<{ tree?: TreeNode }>(path.join(dir, 'tree.json'));
  } catch {
    return out;
  }
  const walk = (node: TreeNode) => {
    const logicalId = node.attributes?.['aws:cdk:cloudformation:logicalId'];
    if (typeof logicalId === 'string' && node.path) {
      out.set(logicalId, [...(out.get(logicalId) ?? []), `/${node.path}`]);
    }
    for (const child of Object.values(node.children ?? {})) walk(child);
  };
  if (tree.tree) walk(tree.tree);
  return out;
}

/** The construct id that names a resource: `…/Orders/Resource` -> `Orders`. */
export function ownerId(constructPath: string): string {
  const segments = constructPath.split('/').filter(Boolean);
  const last = segments.at(-1) ?? '';
  return last === 'Resource' || last === 'Default' ? (segments.at(-2) ?? last) : last;
}
