import type { OperationTable } from '../../core/protocols/operations';
import type { TaskTokens } from '../task-tokens';
import { CAUSE_MAX, ERROR_MAX, optionalBoundedString, requireJson, requireString } from '../wire';

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
      // Both are optional; without them the TaskFailed event has neither (not empty strings).
      tokens.fail(
        token,
        optionalBoundedString(input, 'error', ERROR_MAX) ?? '',
        optionalBoundedString(input, 'cause', CAUSE_MAX) ?? '',
      );
      return {};
    },
    SendTaskHeartbeat: (input) => {
      tokens.heartbeat(requireString(input, 'taskToken'), host.now());
      return {};
    },
  };
}
