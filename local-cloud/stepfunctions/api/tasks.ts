import type { OperationTable } from '../../core/protocols/operations';
import type { TaskTokens } from '../task-tokens';
import { optionalString, requireJson, requireString } from '../wire';

/**
 * SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat: the callbacks of `.waitForTaskToken`.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html
 */
export function taskOperations(host: { tokens: TaskTokens; now(): number }): OperationTable {
  const { tokens } = host;
  return {
    SendTaskSuccess: (input) => {
      const token = requireString(input, 'taskToken');
      const output = requireJson(requireString(input, 'output'), 'InvalidOutput', 'output');
      tokens.succeed(token, output);
      return {};
    },
    SendTaskFailure: (input) => {
      const token = requireString(input, 'taskToken');
      tokens.fail(
        token,
        optionalString(input, 'error') ?? '',
        optionalString(input, 'cause') ?? '',
      );
      return {};
    },
    SendTaskHeartbeat: (input) => {
      tokens.heartbeat(requireString(input, 'taskToken'), host.now());
      return {};
    },
  };
}
