import { AwsError } from '../../core/protocols/errors';
import type { OperationTable } from '../../core/protocols/operations';
import type { Clock } from '../../core/service';
import { stateMachineArn } from '../definitions/machines';
import type {
  LoadedStateMachine,
  MachineConfig,
  StateMachineRecord,
  StateMachineRegistry,
} from '../definitions/registry';
import { invalidDefinitionMessage, validateDefinition } from '../definitions/validate';
import {
  decodePageToken,
  encodePageToken,
  isOffset,
  optionalString,
  pageSize,
  requireStateMachineArn,
  toEpochSeconds,
  validateName,
} from '../wire';

/**
 * CreateStateMachine, UpdateStateMachine, DeleteStateMachine, DescribeStateMachine,
 * ListStateMachines and ValidateStateMachineDefinition, over the registry. The backend's own
 * machines arrive through CreateStateMachine/UpdateStateMachine too (`backend/state-machines.ts`).
 * Versions, aliases and tags are not kept (the calls accept `publish` and `tags` and ignore them).
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html
 */
export interface StateMachinesHost {
  registry: StateMachineRegistry;
  clock: Clock;
  region: string;
  /** RUNNING executions of a machine, so deletion can wait for them. */
  runningExecutionsOf(machineArn: string): number;
  /**
   * AWS: "A state machine is deleted only when all its executions are completed. On the next
   * state transition, the state machine's executions are terminated."
   */
  terminateExecutionsOf(machineArn: string, cause: string): void;
}

/** Defaults AWS reports for a machine created without these members. */
const DEFAULT_LOGGING = { level: 'OFF', includeExecutionData: false };
const DEFAULT_TRACING = { enabled: false };
const MAX_DEFINITION_LENGTH = 1_048_576;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

const validation = (message: string) => new AwsError('ValidationException', message);

function requireDefinition(input: Record<string, unknown>, type: MachineConfig['type']): string {
  const definition = input.definition;
  if (typeof definition !== 'string' || definition.length === 0) {
    throw validation(
      "Value null at 'definition' failed to satisfy constraint: Member must not be null",
    );
  }
  if (definition.length > MAX_DEFINITION_LENGTH) {
    throw validation(
      `1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length less than or equal to ${MAX_DEFINITION_LENGTH}`,
    );
  }
  const verdict = validateDefinition(definition, { type, severity: 'ERROR' });
  if (verdict.result === 'FAIL') {
    throw new AwsError('InvalidDefinition', invalidDefinitionMessage(verdict.diagnostics));
  }
  return definition;
}

function requireRoleArn(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw validation(
      "Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
    );
  }
  if (!ROLE_ARN.test(value)) throw new AwsError('InvalidArn', `Invalid Arn: '${value}'`);
  return value;
}

function machineType(input: Record<string, unknown>): MachineConfig['type'] {
  const type = optionalString(input, 'type') ?? 'STANDARD';
  if (type === 'STANDARD') return type;
  if (type === 'EXPRESS') {
    // Deviation, said plainly rather than faked: Express semantics (at-least-once, no history
    // API, StartSyncExecution) are not modelled locally.
    throw new AwsError(
      'StateMachineTypeNotSupported',
      'The local cloud runs STANDARD state machines only; EXPRESS is not supported',
    );
  }
  throw validation(
    `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`,
  );
}

function objectMember(
  input: Record<string, unknown>,
  field: string,
): Record<string, unknown> | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw validation(`'${field}' must be a structure`);
  }
  return value as Record<string, unknown>;
}

function loggingOf(input: Record<string, unknown>): Record<string, unknown> | undefined {
  const logging = objectMember(input, 'loggingConfiguration');
  if (!logging) return undefined;
  const level = logging.level ?? 'OFF';
  if (!['ALL', 'ERROR', 'FATAL', 'OFF'].includes(String(level))) {
    throw new AwsError('InvalidLoggingConfiguration', `Invalid logging level '${String(level)}'`);
  }
  // LoggingConfiguration: `destinations` is "Limited to size 1. Required, if your log level is
  // not set to OFF." (nothing is logged locally; the configuration is kept and echoed).
  const destinations = logging.destinations;
  const count = Array.isArray(destinations) ? destinations.length : destinations ? -1 : 0;
  if (count < 0 || count > 1 || (level !== 'OFF' && count !== 1)) {
    throw new AwsError(
      'InvalidLoggingConfiguration',
      level !== 'OFF' && count === 0
        ? `Invalid Logging Configuration: Must specify exactly one Log Destination if logging level is not OFF.`
        : 'Invalid Logging Configuration: destinations must be a list of at most one Log Destination.',
    );
  }
  return {
    level,
    includeExecutionData: logging.includeExecutionData === true,
    ...(count === 1 ? { destinations } : {}),
  };
}

function tracingOf(input: Record<string, unknown>): Record<string, unknown> | undefined {
  const tracing = objectMember(input, 'tracingConfiguration');
  if (!tracing) return undefined;
  if (tracing.enabled !== undefined && typeof tracing.enabled !== 'boolean') {
    throw validation("'tracingConfiguration.enabled' must be a boolean");
  }
  return { enabled: tracing.enabled === true };
}

const sameConfig = (a: MachineConfig, b: MachineConfig) =>
  a.type === b.type &&
  JSON.stringify(a.loggingConfiguration) === JSON.stringify(b.loggingConfiguration) &&
  JSON.stringify(a.tracingConfiguration) === JSON.stringify(b.tracingConfiguration);

export function describeMachine(record: StateMachineRecord, machine: LoadedStateMachine) {
  return {
    stateMachineArn: record.arn,
    name: record.name,
    status: record.status,
    definition: machine.definitionText,
    roleArn: record.roleArn,
    type: record.type,
    creationDate: toEpochSeconds(record.creationDate),
    loggingConfiguration: record.loggingConfiguration,
    tracingConfiguration: record.tracingConfiguration,
    revisionId: record.revisionId,
    ...(record.description !== undefined ? { description: record.description } : {}),
  };
}

export function stateMachineOperations(host: StateMachinesHost): OperationTable {
  const { registry } = host;
  const existing = (arn: string): StateMachineRecord => {
    const record = registry.get(arn);
    if (!record) {
      throw new AwsError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    }
    return record;
  };

  return {
    CreateStateMachine: {
      required: ['name', 'definition', 'roleArn'],
      handler: (input) => {
        const name = validateName(String(input.name));
        const type = machineType(input);
        const definition = requireDefinition(input, type);
        const roleArn = requireRoleArn(input.roleArn);
        const config: MachineConfig = {
          type,
          loggingConfiguration: loggingOf(input) ?? DEFAULT_LOGGING,
          tracingConfiguration: tracingOf(input) ?? DEFAULT_TRACING,
        };
        const arn = stateMachineArn(host.region, name);
        const found = registry.get(arn);
        if (found) {
          // Idempotent on name, definition, type, logging and tracing; roleArn and tags are
          // ignored on a repeat (API reference, CreateStateMachine).
          if (found.status === 'DELETING') {
            throw new AwsError('StateMachineDeleting', `State Machine is being deleted: '${arn}'`);
          }
          const current = registry.revision(found.revisionId)!;
          if (current.definitionText === definition && sameConfig(found, config)) {
            return { stateMachineArn: arn, creationDate: toEpochSeconds(found.creationDate) };
          }
          throw new AwsError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
        }
        const created = registry.insert(
          { arn, name, definition, roleArn, ...config },
          host.clock.now(),
        );
        return { stateMachineArn: arn, creationDate: toEpochSeconds(created.creationDate) };
      },
    },
    UpdateStateMachine: {
      required: ['stateMachineArn'],
      handler: (input) => {
        const arn = requireStateMachineArn(input);
        const record = existing(arn);
        if (record.status === 'DELETING') {
          throw new AwsError('StateMachineDeleting', `State Machine is being deleted: '${arn}'`);
        }
        const logging = loggingOf(input);
        const tracing = tracingOf(input);
        const hasDefinition = input.definition !== undefined && input.definition !== null;
        const hasRole = input.roleArn !== undefined && input.roleArn !== null;
        if (!hasDefinition && !hasRole && !logging && !tracing) {
          throw new AwsError(
            'MissingRequiredParameter',
            'Either the definition, the roleArn, the LoggingConfiguration, or the TracingConfiguration must be specified',
          );
        }
        const current = registry.revision(record.revisionId)!;
        const change = {
          definition: hasDefinition
            ? requireDefinition(input, record.type)
            : current.definitionText,
          roleArn: hasRole ? requireRoleArn(input.roleArn) : record.roleArn,
          config: {
            ...record,
            loggingConfiguration: logging ?? record.loggingConfiguration,
            tracingConfiguration: tracing ?? record.tracingConfiguration,
          },
        };
        // An update that changes nothing is no new revision (so a redeploy of the same backend
        // leaves running executions and revision ids alone).
        const unchanged =
          change.definition === current.definitionText &&
          change.roleArn === record.roleArn &&
          sameConfig(change.config, record);
        const updated = unchanged ? record : registry.update(arn, change, host.clock.now());
        return { updateDate: toEpochSeconds(updated.updateDate), revisionId: updated.revisionId };
      },
    },
    DeleteStateMachine: {
      required: ['stateMachineArn'],
      handler: (input) => {
        const arn = requireStateMachineArn(input);
        const record = registry.get(arn);
        // Deleting a machine that is gone (or going) succeeds: the call is asynchronous in AWS.
        if (!record || record.status === 'DELETING') return {};
        if (host.runningExecutionsOf(arn) === 0) {
          registry.remove(arn);
          return {};
        }
        registry.markDeleting(arn);
        host.terminateExecutionsOf(arn, `State machine ${record.name} has been deleted.`);
        if (host.runningExecutionsOf(arn) === 0) registry.remove(arn);
        return {};
      },
    },
    DescribeStateMachine: {
      required: ['stateMachineArn'],
      handler: (input) => {
        const record = existing(requireStateMachineArn(input));
        return describeMachine(record, registry.revision(record.revisionId)!);
      },
    },
    ListStateMachines: (input) => {
      const limit = pageSize(input);
      const page = decodePageToken<{ o: number }>(optionalString(input, 'nextToken'), (p) =>
        isOffset(p.o),
      );
      const offset = page?.o ?? 0;
      const all = registry.list();
      return {
        stateMachines: all.slice(offset, offset + limit).map((m) => ({
          stateMachineArn: m.arn,
          name: m.name,
          type: m.type,
          creationDate: toEpochSeconds(m.creationDate),
        })),
        ...(all.length > offset + limit
          ? { nextToken: encodePageToken({ o: offset + limit }) }
          : {}),
      };
    },
    ValidateStateMachineDefinition: {
      required: ['definition'],
      handler: (input) => {
        const definition = input.definition;
        if (typeof definition !== 'string') throw validation("'definition' must be a string");
        const severity = optionalString(input, 'severity') ?? 'ERROR';
        if (severity !== 'ERROR' && severity !== 'WARNING') {
          throw validation(
            `1 validation error detected: Value '${severity}' at 'severity' failed to satisfy constraint: Member must satisfy enum value set: [ERROR, WARNING]`,
          );
        }
        const maxResults = input.maxResults;
        if (
          maxResults !== undefined &&
          (typeof maxResults !== 'number' ||
            !Number.isInteger(maxResults) ||
            maxResults < 0 ||
            maxResults > 100)
        ) {
          throw validation(
            "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 0 and 100",
          );
        }
        const type = optionalString(input, 'type') ?? 'STANDARD';
        if (type !== 'STANDARD' && type !== 'EXPRESS') machineType(input);
        return validateDefinition(definition, {
          type: type as MachineConfig['type'],
          severity,
          ...(typeof maxResults === 'number' && maxResults > 0 ? { maxResults } : {}),
        });
      },
    },
  };
}
