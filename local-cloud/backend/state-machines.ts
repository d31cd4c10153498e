import {
  CreateStateMachineCommand,
  StateMachineAlreadyExists,
  UpdateStateMachineCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { LOCAL_ACCOUNT_ID } from '../core/constants';
import { substitute } from '../stepfunctions/definitions/machines';
import type { LocalStateMachine } from './model';

/** Deviation: there is no IAM locally; the backend's machines all name this role. */
export const BACKEND_STATES_ROLE_ARN = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/local-cloud-stepfunctions`;

export interface DeployStateMachinesResult {
  created: string[];
  updated: string[];
}

/**
 * Deploys the backend's state machines as CloudFormation does: `DefinitionSubstitutions` applied,
 * then CreateStateMachine, or UpdateStateMachine when one of that name exists with another
 * definition. So the project's machines take the same path (and get the same validation) as a
 * developer's own `aws stepfunctions create-state-machine`. An invalid definition fails the start
 * with AWS's InvalidDefinition message, as it would fail a deployment.
 */
export async function deployStateMachines(
  client: SFNClient,
  machines: LocalStateMachine[],
): Promise<DeployStateMachinesResult> {
  const result: DeployStateMachinesResult = { created: [], updated: [] };
  for (const machine of machines) {
    const definition = substitute(machine.definitionString, machine.substitutions, machine.name);
    try {
      const created = await client.send(
        new CreateStateMachineCommand({
          name: machine.name,
          definition,
          roleArn: BACKEND_STATES_ROLE_ARN,
          ...(machine.type ? { type: machine.type as 'STANDARD' | 'EXPRESS' } : {}),
        }),
      );
      result.created.push(created.stateMachineArn!);
    } catch (error) {
      if (!(error instanceof StateMachineAlreadyExists)) {
        throw new Error(
          `${machine.name}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      await client.send(
        new UpdateStateMachineCommand({ stateMachineArn: machine.arn, definition }),
      );
      result.updated.push(machine.arn);
    }
  }
  return result;
}
