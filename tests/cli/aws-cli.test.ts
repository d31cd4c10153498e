import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { awsCli, cliAvailable } from '../support/aws-cli';
import { startOfflineStack, type OfflineStack } from '../support/offline-stack';

/**
 * The AWS CLI against the local cloud: the commands the README shows and the read-only calls a
 * developer uses to look around, each run as a person would, with only an endpoint and dummy
 * credentials. CI installs the CLI when it is missing (.ci/run).
 */
let stack: OfflineStack;
beforeAll(async () => {
  if (cliAvailable) stack = await startOfflineStack();
});
afterAll(() => stack?.close());

const aws = awsCli(() => stack.cloud);

describe.skipIf(!cliAvailable)('the AWS CLI against the local cloud', () => {
  test('stepfunctions list-state-machines and list-executions (the README’s example)', async () => {
    const machines = await aws('stepfunctions', 'list-state-machines');
    expect(machines.status).toBe(0);
    const arns = (machines.json as { stateMachines: { stateMachineArn: string }[] }).stateMachines;
    expect(arns.map((m) => m.stateMachineArn)).toContain(
      'arn:aws:states:us-east-1:000000000000:stateMachine:OrderWorkflow',
    );
    const executions = await aws(
      'stepfunctions',
      'list-executions',
      '--state-machine-arn',
      'arn:aws:states:us-east-1:000000000000:stateMachine:OrderWorkflow',
    );
    expect(executions.status).toBe(0);
    expect(executions.json).toEqual({ executions: [] });
  });

  test('stepfunctions describe-state-machine returns the deployed definition', async () => {
    const machine = await aws(
      'stepfunctions',
      'describe-state-machine',
      '--state-machine-arn',
      'arn:aws:states:us-east-1:000000000000:stateMachine:OrderWorkflow',
    );
    expect(machine.status).toBe(0);
    const definition = JSON.parse((machine.json as { definition: string }).definition);
    expect(definition.StartAt).toBe('ReserveInventory');
  });

  test('dynamodb list-tables, describe-table and scan see the deployed, seeded tables', async () => {
    const tables = await aws('dynamodb', 'list-tables');
    expect(tables.status).toBe(0);
    const names = (tables.json as { TableNames: string[] }).TableNames;
    expect(names).toEqual(expect.arrayContaining(['Orders', 'Inventory', 'Idempotency']));
    const described = await aws('dynamodb', 'describe-table', '--table-name', 'Orders');
    expect((described.json as { Table: { TableStatus: string } }).Table.TableStatus).toBe('ACTIVE');
    const stock = await aws('dynamodb', 'scan', '--table-name', 'Inventory', '--select', 'COUNT');
    expect((stock.json as { Count: number }).Count).toBeGreaterThan(0);
  });

  test('cognito-idp list-user-pools, describe-user-pool, list-user-pool-clients, list-groups', async () => {
    const pools = await aws('cognito-idp', 'list-user-pools', '--max-results', '10');
    expect(pools.status).toBe(0);
    const [pool] = (pools.json as { UserPools: { Id: string }[] }).UserPools;
    expect(pool?.Id).toMatch(/^us-east-1_/);
    const described = await aws('cognito-idp', 'describe-user-pool', '--user-pool-id', pool!.Id);
    expect((described.json as { UserPool: { Id: string } }).UserPool.Id).toBe(pool!.Id);
    const clients = await aws('cognito-idp', 'list-user-pool-clients', '--user-pool-id', pool!.Id);
    expect((clients.json as { UserPoolClients: unknown[] }).UserPoolClients.length).toBe(1);
    const groups = await aws('cognito-idp', 'list-groups', '--user-pool-id', pool!.Id);
    expect(
      (groups.json as { Groups: { GroupName: string }[] }).Groups.map((g) => g.GroupName),
    ).toContain('Warehouse');
  });

  test('lambda list-functions and get-function-configuration show the template’s settings', async () => {
    const functions = await aws('lambda', 'list-functions');
    expect(functions.status).toBe(0);
    const names = (functions.json as { Functions: { FunctionName: string }[] }).Functions.map(
      (fn) => fn.FunctionName,
    );
    expect(names).toEqual(expect.arrayContaining(['reserve-inventory', 'status-publisher']));
    const config = await aws(
      'lambda',
      'get-function-configuration',
      '--function-name',
      'charge-payment',
    );
    expect(config.json).toMatchObject({
      FunctionName: 'charge-payment',
      Timeout: 30,
      MemorySize: 256,
    });
  });

  test('bad input gets the error the API reference names, and a non-zero exit', async () => {
    const badArn = await aws(
      'stepfunctions',
      'describe-execution',
      '--execution-arn',
      'not-an-arn',
    );
    expect(badArn.status).not.toBe(0);
    expect(badArn.stderr).toContain('InvalidArn');
    const noTable = await aws('dynamodb', 'describe-table', '--table-name', 'Nope');
    expect(noTable.status).not.toBe(0);
    expect(noTable.stderr).toContain('ResourceNotFoundException');
    const noPool = await aws(
      'cognito-idp',
      'describe-user-pool',
      '--user-pool-id',
      'us-east-1_Nope12345',
    );
    expect(noPool.stderr).toContain('ResourceNotFoundException');
    const noFunction = await aws('lambda', 'get-function-configuration', '--function-name', 'nope');
    expect(noFunction.stderr).toContain('ResourceNotFoundException');
  });
});
