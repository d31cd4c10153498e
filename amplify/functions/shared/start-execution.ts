import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';

/** An execution's ARN from its state machine's ARN and its name (what Step Functions returns). */
export function executionArnFor(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

/**
 * Starts the order's execution, named by the order id, so starting is idempotent: Step Functions
 * returns the running execution for a repeat with the same name and input, and answers
 * ExecutionAlreadyExists once it has closed (or for another input). Names are unique per state
 * machine for 90 days, and ours are derived from the order, so that execution is ours either way.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html
 */
export async function startNamedExecution(
  client: SFNClient,
  stateMachineArn: string,
  name: string,
  input: string,
): Promise<{ executionArn: string; started: boolean }> {
  try {
    const started = await client.send(new StartExecutionCommand({ stateMachineArn, name, input }));
    return { executionArn: started.executionArn!, started: true };
  } catch (error) {
    if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
    return { executionArn: executionArnFor(stateMachineArn, name), started: false };
  }
}
