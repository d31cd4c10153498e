import { execFile } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import {
  CognitoIdentityProviderClient,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  paginateListUserPoolClients,
  type ListUserPoolsCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_ID,
  OTHER_CLIENT_ID,
  POOL_ID,
  STRONG_PASSWORD,
  freshEmail,
  startCognito,
  type Harness,
} from './cognito-fixtures/harness';

const UNKNOWN_POOL_ID = 'us-east-1_NoSuchPoo';

let h: Harness;
let cognito: CognitoIdentityProviderClient;

const clientFor = (endpoint: string) =>
  new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });

beforeAll(async () => {
  h = await startCognito();
  cognito = clientFor(h.baseUrl);
});

afterAll(async () => {
  cognito?.destroy();
  await h?.close();
});

type AwsError = { name: string; message: string; $metadata?: { httpStatusCode?: number } };

async function expectAwsError(promise: Promise<unknown>, name: string, status = 400) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e as AwsError,
  );
  expect(error, `expected ${name}`).not.toBeNull();
  expect(error?.name).toBe(name);
  expect(error?.$metadata?.httpStatusCode).toBe(status);
  return error!;
}

/** Epoch-second timestamps on the wire come back from the SDK as whole-second Dates. */
function expectEpochSeconds(date: Date | undefined) {
  expect(date).toBeInstanceOf(Date);
  expect(date!.getTime() % 1000).toBe(0);
  expect(Math.abs(date!.getTime() - Date.now())).toBeLessThan(24 * 3600 * 1000);
}

describe('ListUserPools', () => {
  it('lists the configured pool with epoch-second dates and no NextToken when all fit', async () => {
    const out = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    expect(out.NextToken).toBeUndefined();
    expect(out.UserPools).toHaveLength(1);
    const [pool] = out.UserPools!;
    expect(pool).toMatchObject({ Id: POOL_ID, Name: 'storefront', LambdaConfig: {} });
    expect(pool!.Status).toBeUndefined();
    expectEpochSeconds(pool!.CreationDate);
    expectEpochSeconds(pool!.LastModifiedDate);
    expect(pool!.LastModifiedDate!.getTime()).toBeGreaterThanOrEqual(pool!.CreationDate!.getTime());
  });

  it('requires MaxResults', async () => {
    const error = await expectAwsError(
      cognito.send(new ListUserPoolsCommand({} as ListUserPoolsCommandInput)),
      'InvalidParameterException',
    );
    expect(error.message).toContain("at 'maxResults' failed to satisfy constraint");
  });

  it('refuses MaxResults outside 1-60', async () => {
    for (const MaxResults of [0, 61]) {
      await expectAwsError(
        cognito.send(new ListUserPoolsCommand({ MaxResults })),
        'InvalidParameterException',
      );
    }
  });

  it('refuses a NextToken it did not issue', async () => {
    await expectAwsError(
      cognito.send(new ListUserPoolsCommand({ MaxResults: 10, NextToken: 'not-a-token' })),
      'InvalidParameterException',
    );
  });
});

describe('DescribeUserPool', () => {
  it('describes the pool as the stand-in enforces it', async () => {
    const { UserPool: pool } = await cognito.send(
      new DescribeUserPoolCommand({ UserPoolId: POOL_ID }),
    );
    expect(pool).toMatchObject({
      Id: POOL_ID,
      Name: 'storefront',
      Arn: `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${POOL_ID}`,
      Policies: {
        PasswordPolicy: {
          MinimumLength: 8,
          RequireUppercase: true,
          RequireLowercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AutoVerifiedAttributes: ['email'],
      MfaConfiguration: 'OFF',
      LambdaConfig: {},
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Priority: 1, Name: 'verified_email' }] },
    });
    expect(pool?.AliasAttributes).toBeUndefined();
    expectEpochSeconds(pool?.CreationDate);
    expectEpochSeconds(pool?.LastModifiedDate);

    // The same dates as the listing reports.
    const listed = await cognito.send(new ListUserPoolsCommand({ MaxResults: 1 }));
    expect(listed.UserPools?.[0]?.CreationDate).toEqual(pool?.CreationDate);
    expect(listed.UserPools?.[0]?.LastModifiedDate).toEqual(pool?.LastModifiedDate);
  });

  it('counts the users of the pool', async () => {
    const describePool = () => cognito.send(new DescribeUserPoolCommand({ UserPoolId: POOL_ID }));
    const before = (await describePool()).UserPool?.EstimatedNumberOfUsers ?? -1;
    expect(before).toBeGreaterThanOrEqual(0);
    await h.service.seedUser({ email: freshEmail('counted'), password: STRONG_PASSWORD });
    expect((await describePool()).UserPool?.EstimatedNumberOfUsers).toBe(before + 1);
  });

  it('refuses a missing or malformed UserPoolId with InvalidParameterException', async () => {
    const missing = await expectAwsError(
      cognito.send(new DescribeUserPoolCommand({} as { UserPoolId: string })),
      'InvalidParameterException',
    );
    expect(missing.message).toContain("Value null at 'userPoolId'");
    await expectAwsError(
      cognito.send(new DescribeUserPoolCommand({ UserPoolId: 'not a pool id' })),
      'InvalidParameterException',
    );
  });

  it('answers ResourceNotFoundException for an unknown pool', async () => {
    const error = await expectAwsError(
      cognito.send(new DescribeUserPoolCommand({ UserPoolId: UNKNOWN_POOL_ID })),
      'ResourceNotFoundException',
    );
    expect(error.message).toBe(`User pool ${UNKNOWN_POOL_ID} does not exist.`);
  });
});

describe('ListUserPoolClients', () => {
  it('pages through the app clients one at a time', async () => {
    const first = await cognito.send(
      new ListUserPoolClientsCommand({ UserPoolId: POOL_ID, MaxResults: 1 }),
    );
    expect(first.UserPoolClients).toEqual([
      { ClientId: CLIENT_ID, UserPoolId: POOL_ID, ClientName: 'web' },
    ]);
    expect(first.NextToken).toBeTruthy();

    const pages = [];
    for await (const page of paginateListUserPoolClients(
      { client: cognito, pageSize: 1 },
      { UserPoolId: POOL_ID },
    )) {
      pages.push(page.UserPoolClients);
    }
    expect(pages).toEqual([
      [{ ClientId: CLIENT_ID, UserPoolId: POOL_ID, ClientName: 'web' }],
      [{ ClientId: OTHER_CLIENT_ID, UserPoolId: POOL_ID, ClientName: 'srp-only' }],
    ]);
  });

  it('returns every client in one page when MaxResults is absent', async () => {
    const out = await cognito.send(new ListUserPoolClientsCommand({ UserPoolId: POOL_ID }));
    expect(out.UserPoolClients?.map((c) => c.ClientId)).toEqual([CLIENT_ID, OTHER_CLIENT_ID]);
    expect(out.NextToken).toBeUndefined();
  });

  it('refuses MaxResults outside 1-60', async () => {
    for (const MaxResults of [0, 61]) {
      await expectAwsError(
        cognito.send(new ListUserPoolClientsCommand({ UserPoolId: POOL_ID, MaxResults })),
        'InvalidParameterException',
      );
    }
  });

  it('refuses a garbage NextToken and a token from another listing', async () => {
    await expectAwsError(
      cognito.send(new ListUserPoolClientsCommand({ UserPoolId: POOL_ID, NextToken: 'garbage' })),
      'InvalidParameterException',
    );
    const { NextToken } = await cognito.send(
      new ListUserPoolClientsCommand({ UserPoolId: POOL_ID, MaxResults: 1 }),
    );
    await expectAwsError(
      cognito.send(new ListGroupsCommand({ UserPoolId: POOL_ID, NextToken })),
      'InvalidParameterException',
    );
  });

  it('refuses a missing UserPoolId and answers ResourceNotFoundException for an unknown pool', async () => {
    await expectAwsError(
      cognito.send(new ListUserPoolClientsCommand({} as { UserPoolId: string })),
      'InvalidParameterException',
    );
    await expectAwsError(
      cognito.send(new ListUserPoolClientsCommand({ UserPoolId: UNKNOWN_POOL_ID })),
      'ResourceNotFoundException',
    );
  });

  it('validates the whole request before looking the pool up', async () => {
    await expectAwsError(
      cognito.send(new ListUserPoolClientsCommand({ UserPoolId: UNKNOWN_POOL_ID, MaxResults: 0 })),
      'InvalidParameterException',
    );
  });
});

describe('DescribeUserPoolClient', () => {
  it('describes each client with the ALLOW_* flows InitiateAuth enforces', async () => {
    const web = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: POOL_ID, ClientId: CLIENT_ID }),
    );
    expect(web.UserPoolClient).toMatchObject({
      UserPoolId: POOL_ID,
      ClientId: CLIENT_ID,
      ClientName: 'web',
      ExplicitAuthFlows: [
        'ALLOW_USER_PASSWORD_AUTH',
        'ALLOW_USER_SRP_AUTH',
        'ALLOW_REFRESH_TOKEN_AUTH',
      ],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      AllowedOAuthFlowsUserPoolClient: false,
      AuthSessionValidity: 3,
    });
    expect(web.UserPoolClient?.ClientSecret).toBeUndefined();
    expectEpochSeconds(web.UserPoolClient?.CreationDate);
    expectEpochSeconds(web.UserPoolClient?.LastModifiedDate);

    const srpOnly = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: POOL_ID, ClientId: OTHER_CLIENT_ID }),
    );
    expect(srpOnly.UserPoolClient?.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH']);
  });

  it('answers ResourceNotFoundException for an unknown client or pool', async () => {
    const error = await expectAwsError(
      cognito.send(
        new DescribeUserPoolClientCommand({ UserPoolId: POOL_ID, ClientId: 'nosuchclient' }),
      ),
      'ResourceNotFoundException',
    );
    expect(error.message).toBe('User pool client nosuchclient does not exist.');
    await expectAwsError(
      cognito.send(
        new DescribeUserPoolClientCommand({ UserPoolId: UNKNOWN_POOL_ID, ClientId: CLIENT_ID }),
      ),
      'ResourceNotFoundException',
    );
  });

  it('refuses a missing ClientId with InvalidParameterException', async () => {
    await expectAwsError(
      cognito.send(
        new DescribeUserPoolClientCommand({ UserPoolId: POOL_ID } as {
          UserPoolId: string;
          ClientId: string;
        }),
      ),
      'InvalidParameterException',
    );
  });
});

describe('ListGroups and GetGroup', () => {
  it('lists the configured groups without inventing a precedence', async () => {
    const out = await cognito.send(new ListGroupsCommand({ UserPoolId: POOL_ID, Limit: 60 }));
    expect(out.NextToken).toBeUndefined();
    expect(out.Groups).toHaveLength(1);
    const [group] = out.Groups!;
    expect(group).toMatchObject({ GroupName: 'Warehouse', UserPoolId: POOL_ID });
    expect(group!.Precedence).toBeUndefined();
    expectEpochSeconds(group!.CreationDate);
    expectEpochSeconds(group!.LastModifiedDate);
  });

  it('accepts Limit 0, which the API reference allows, as no limit', async () => {
    const out = await cognito.send(new ListGroupsCommand({ UserPoolId: POOL_ID, Limit: 0 }));
    expect(out.Groups?.map((g) => g.GroupName)).toEqual(['Warehouse']);
  });

  it('refuses Limit above 60 and a bad NextToken', async () => {
    await expectAwsError(
      cognito.send(new ListGroupsCommand({ UserPoolId: POOL_ID, Limit: 61 })),
      'InvalidParameterException',
    );
    await expectAwsError(
      cognito.send(new ListGroupsCommand({ UserPoolId: POOL_ID, NextToken: 'garbage' })),
      'InvalidParameterException',
    );
  });

  it('refuses a missing UserPoolId and answers ResourceNotFoundException for an unknown pool', async () => {
    await expectAwsError(
      cognito.send(new ListGroupsCommand({} as { UserPoolId: string })),
      'InvalidParameterException',
    );
    await expectAwsError(
      cognito.send(new ListGroupsCommand({ UserPoolId: UNKNOWN_POOL_ID })),
      'ResourceNotFoundException',
    );
  });

  it('gets one group with the dates the listing reports', async () => {
    const { Group } = await cognito.send(
      new GetGroupCommand({ UserPoolId: POOL_ID, GroupName: 'Warehouse' }),
    );
    const listed = await cognito.send(new ListGroupsCommand({ UserPoolId: POOL_ID }));
    expect(Group).toEqual(listed.Groups?.[0]);
  });

  it('answers ResourceNotFoundException for an unknown group and refuses a missing name', async () => {
    const error = await expectAwsError(
      cognito.send(new GetGroupCommand({ UserPoolId: POOL_ID, GroupName: 'Nobody' })),
      'ResourceNotFoundException',
    );
    expect(error.message).toBe('Group not found.');
    await expectAwsError(
      cognito.send(
        new GetGroupCommand({ UserPoolId: POOL_ID } as { UserPoolId: string; GroupName: string }),
      ),
      'InvalidParameterException',
    );
    await expectAwsError(
      cognito.send(new GetGroupCommand({ UserPoolId: UNKNOWN_POOL_ID, GroupName: 'Warehouse' })),
      'ResourceNotFoundException',
    );
  });
});

describe('authentication', () => {
  it('refuses unsigned calls to every describe operation with 403', async () => {
    const unsigned = clientFor(h.baseUrl);
    // After signing (finalizeRequest), before the request is sent: drop the signature.
    unsigned.middlewareStack.add(
      (next) => async (args) => {
        const headers = (args.request as { headers: Record<string, string> }).headers;
        for (const name of Object.keys(headers)) {
          if (name.toLowerCase() === 'authorization') delete headers[name];
        }
        return next(args);
      },
      { step: 'deserialize', name: 'dropAuthorization' },
    );
    try {
      const calls: Promise<unknown>[] = [
        unsigned.send(new ListUserPoolsCommand({ MaxResults: 10 })),
        unsigned.send(new DescribeUserPoolCommand({ UserPoolId: POOL_ID })),
        unsigned.send(new ListUserPoolClientsCommand({ UserPoolId: POOL_ID })),
        unsigned.send(
          new DescribeUserPoolClientCommand({ UserPoolId: POOL_ID, ClientId: CLIENT_ID }),
        ),
        unsigned.send(new ListGroupsCommand({ UserPoolId: POOL_ID })),
        unsigned.send(new GetGroupCommand({ UserPoolId: POOL_ID, GroupName: 'Warehouse' })),
      ];
      for (const call of calls) {
        await expectAwsError(call, 'MissingAuthenticationTokenException', 403);
      }
    } finally {
      unsigned.destroy();
    }
  });
});

describe('dates on a database file', () => {
  it('keeps creation and modification dates across a restart with the same configuration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognito-describe-'));
    try {
      const read = async (harness: Harness) => {
        const client = clientFor(harness.baseUrl);
        try {
          const pool = await client.send(new DescribeUserPoolCommand({ UserPoolId: POOL_ID }));
          const app = await client.send(
            new DescribeUserPoolClientCommand({ UserPoolId: POOL_ID, ClientId: CLIENT_ID }),
          );
          const group = await client.send(
            new GetGroupCommand({ UserPoolId: POOL_ID, GroupName: 'Warehouse' }),
          );
          return [
            pool.UserPool?.CreationDate,
            pool.UserPool?.LastModifiedDate,
            app.UserPoolClient?.CreationDate,
            app.UserPoolClient?.LastModifiedDate,
            group.Group?.CreationDate,
            group.Group?.LastModifiedDate,
          ];
        } finally {
          client.destroy();
        }
      };

      const first = await startCognito(join(dir, 'cloud.db'));
      const before = await read(first);
      await first.close();

      const second = await startCognito(join(dir, 'cloud.db'));
      second.advance(3600 * 1000);
      const after = await read(second);
      await second.close();

      expect(before.every((date) => date instanceof Date)).toBe(true);
      expect(after).toEqual(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** The `aws` executable on PATH, if any (what a shell would run). */
function awsOnPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'aws');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

describe('AWS CLI', () => {
  it('aws cognito-idp list-user-pools prints the local pool', async (ctx) => {
    const aws = awsOnPath();
    ctx.skip(!aws, 'the AWS CLI (`aws`) is not on PATH, so the CLI test cannot run');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_REGION: 'us-east-1',
      // AWS CLI v1 reads the region only from AWS_DEFAULT_REGION (v2 also reads AWS_REGION).
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
      // The developer's own profiles and config must not change what the CLI sends.
      AWS_CONFIG_FILE: join(tmpdir(), 'cognito-describe-no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(tmpdir(), 'cognito-describe-no-aws-credentials'),
    };
    delete env.AWS_PROFILE;
    delete env.AWS_DEFAULT_PROFILE;
    delete env.AWS_SESSION_TOKEN;
    // Asynchronous on purpose: the server answering the CLI runs in this process.
    const { stdout } = await promisify(execFile)(
      aws!,
      [
        'cognito-idp',
        'list-user-pools',
        '--max-results',
        '10',
        '--endpoint-url',
        h.baseUrl,
        '--output',
        'json',
      ],
      { env, timeout: 25_000 },
    );
    const out = JSON.parse(stdout) as {
      UserPools: {
        Id: string;
        Name: string;
        CreationDate: number | string;
        LastModifiedDate: number | string;
      }[];
    };
    expect(out.UserPools.map((pool) => [pool.Id, pool.Name])).toEqual([[POOL_ID, 'storefront']]);

    // CLI v1 prints timestamps as received (cli_timestamp_format "none"): epoch seconds, the
    // JSON 1.1 wire format. CLI v2 renders them as ISO 8601. Either way they match the SDK.
    const millis = (value: number | string) =>
      typeof value === 'number' ? value * 1000 : Date.parse(value);
    const [cliPool] = out.UserPools;
    if (typeof cliPool!.CreationDate === 'number') {
      expect(Number.isInteger(cliPool!.CreationDate)).toBe(true);
    }
    const sdk = await cognito.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    expect(millis(cliPool!.CreationDate)).toBe(sdk.UserPools?.[0]?.CreationDate?.getTime());
    expect(millis(cliPool!.LastModifiedDate)).toBe(sdk.UserPools?.[0]?.LastModifiedDate?.getTime());
  });
});
