import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminAddUserToGroupCommand,
  AdminConfirmSignUpCommand,
  AdminCreateUserCommand,
  ChangePasswordCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ListUsersCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt, decodeProtectedHeader } from 'jose';
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

let h: Harness;
let cognito: CognitoIdentityProviderClient;

beforeAll(async () => {
  h = await startCognito();
  cognito = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: h.baseUrl,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  cognito?.destroy();
  await h?.close();
});

async function expectAwsError(promise: Promise<unknown>, name: string, message?: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e as { name: string; message: string; $metadata?: { httpStatusCode?: number } },
  );
  expect(error, `expected ${name}`).not.toBeNull();
  expect(error?.name).toBe(name);
  expect(error?.$metadata?.httpStatusCode).toBe(400);
  if (message) expect(error?.message).toBe(message);
}

const passwordAuth = (email: string, password: string, clientId = CLIENT_ID) =>
  cognito.send(
    new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  );

async function signUpAndConfirm(email: string, password = STRONG_PASSWORD) {
  const out = await cognito.send(
    new SignUpCommand({
      ClientId: CLIENT_ID,
      Username: email,
      Password: password,
      UserAttributes: [{ Name: 'email', Value: email }],
    }),
  );
  await cognito.send(
    new ConfirmSignUpCommand({
      ClientId: CLIENT_ID,
      Username: email,
      ConfirmationCode: h.lastCode(email),
    }),
  );
  return out.UserSub!;
}

describe('sign-up, confirmation and sign-in', () => {
  it('signs up with a printed code, refuses the unconfirmed user, then issues tokens', async () => {
    const email = freshEmail('Shopper');
    const out = await cognito.send(
      new SignUpCommand({
        ClientId: CLIENT_ID,
        Username: email,
        Password: STRONG_PASSWORD,
        UserAttributes: [{ Name: 'email', Value: email }],
      }),
    );
    expect(out.UserConfirmed).toBe(false);
    expect(out.UserSub).toMatch(/^[0-9a-f-]{36}$/);
    expect(out.CodeDeliveryDetails).toEqual({
      Destination: 's***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    const code = h.lastCode(email);
    expect(code).toMatch(/^\d{6}$/);
    expect(h.logs.some((line) => line.includes(code) && line.includes(email.toLowerCase()))).toBe(
      true,
    );

    await expectAwsError(
      passwordAuth(email, STRONG_PASSWORD),
      'UserNotConfirmedException',
      'User is not confirmed.',
    );
    const wrongCode = code === '000000' ? '111111' : '000000';
    await expectAwsError(
      cognito.send(
        new ConfirmSignUpCommand({
          ClientId: CLIENT_ID,
          Username: email,
          ConfirmationCode: wrongCode,
        }),
      ),
      'CodeMismatchException',
    );
    await cognito.send(
      new ConfirmSignUpCommand({ ClientId: CLIENT_ID, Username: email, ConfirmationCode: code }),
    );
    await expectAwsError(
      cognito.send(
        new ConfirmSignUpCommand({ ClientId: CLIENT_ID, Username: email, ConfirmationCode: code }),
      ),
      'NotAuthorizedException',
      'User cannot be confirmed. Current status is CONFIRMED',
    );

    const auth = await passwordAuth(email.toUpperCase(), STRONG_PASSWORD);
    const result = auth.AuthenticationResult!;
    expect(result.TokenType).toBe('Bearer');
    expect(result.ExpiresIn).toBe(3600);
    expect(result.RefreshToken).toBeTruthy();

    const id = decodeJwt(result.IdToken!);
    const access = decodeJwt(result.AccessToken!);
    expect(decodeProtectedHeader(result.IdToken!).alg).toBe('RS256');
    expect(id).toMatchObject({
      sub: out.UserSub,
      iss: `${h.baseUrl}/${POOL_ID}`,
      aud: CLIENT_ID,
      token_use: 'id',
      email: email.toLowerCase(),
      email_verified: true,
      'cognito:username': out.UserSub,
    });
    expect(access).toMatchObject({
      sub: out.UserSub,
      iss: `${h.baseUrl}/${POOL_ID}`,
      client_id: CLIENT_ID,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      username: out.UserSub,
    });
    for (const claims of [id, access]) {
      expect(claims.exp! - claims.iat!).toBe(3600);
      expect(typeof claims.auth_time).toBe('number');
      expect(claims.jti).toBeTruthy();
      expect(claims.origin_jti).toBe(id.origin_jti);
      expect(claims.event_id).toBe(id.event_id);
      expect(claims['cognito:groups']).toBeUndefined();
    }

    const me = await cognito.send(new GetUserCommand({ AccessToken: result.AccessToken }));
    expect(me.Username).toBe(out.UserSub);
    expect(me.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'sub', Value: out.UserSub },
        { Name: 'email', Value: email.toLowerCase() },
        { Name: 'email_verified', Value: 'true' },
      ]),
    );
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const email = freshEmail('wrong');
    await signUpAndConfirm(email);
    await expectAwsError(
      passwordAuth(email, 'Wr0ng-Password!'),
      'NotAuthorizedException',
      'Incorrect username or password.',
    );
    await expectAwsError(
      passwordAuth(freshEmail('nobody'), STRONG_PASSWORD),
      'NotAuthorizedException',
      'Incorrect username or password.',
    );
  });

  it.each([
    ['Sh0rt!a', 'Password not long enough'],
    ['alllower1!', 'Password must have uppercase characters'],
    ['ALLUPPER1!', 'Password must have lowercase characters'],
    ['NoDigits!!', 'Password must have numeric characters'],
    ['NoSymbols12', 'Password must have symbol characters'],
  ])('rejects the weak password %s', async (password, reason) => {
    const email = freshEmail('weak');
    await expectAwsError(
      cognito.send(new SignUpCommand({ ClientId: CLIENT_ID, Username: email, Password: password })),
      'InvalidPasswordException',
      `Password did not conform with policy: ${reason}`,
    );
  });

  it('refuses a second account for the same email, whatever its case', async () => {
    const email = freshEmail('dup');
    await cognito.send(
      new SignUpCommand({ ClientId: CLIENT_ID, Username: email, Password: STRONG_PASSWORD }),
    );
    await expectAwsError(
      cognito.send(
        new SignUpCommand({
          ClientId: CLIENT_ID,
          Username: email.toUpperCase(),
          Password: STRONG_PASSWORD,
        }),
      ),
      'UsernameExistsException',
      'An account with the given email already exists.',
    );
  });

  it('validates parameters and clients like Cognito', async () => {
    await expectAwsError(
      cognito.send(
        new SignUpCommand({
          ClientId: CLIENT_ID,
          Username: 'not-an-email',
          Password: STRONG_PASSWORD,
        }),
      ),
      'InvalidParameterException',
      'Username should be an email.',
    );
    await expectAwsError(
      cognito.send(
        new SignUpCommand({
          ClientId: 'nosuchclient',
          Username: freshEmail('x'),
          Password: STRONG_PASSWORD,
        }),
      ),
      'ResourceNotFoundException',
    );
    await expectAwsError(
      passwordAuth(freshEmail('flow'), STRONG_PASSWORD, OTHER_CLIENT_ID),
      'InvalidParameterException',
      'USER_PASSWORD_AUTH flow not enabled for this client',
    );
  });

  it('stops accepting guesses after five wrong codes', async () => {
    const email = freshEmail('guess');
    await cognito.send(
      new SignUpCommand({ ClientId: CLIENT_ID, Username: email, Password: STRONG_PASSWORD }),
    );
    const code = h.lastCode(email);
    const wrong = code === '999999' ? '999998' : '999999';
    const confirm = (confirmationCode: string) =>
      cognito.send(
        new ConfirmSignUpCommand({
          ClientId: CLIENT_ID,
          Username: email,
          ConfirmationCode: confirmationCode,
        }),
      );
    for (let i = 0; i < 5; i += 1) await expectAwsError(confirm(wrong), 'CodeMismatchException');
    await expectAwsError(confirm(code), 'LimitExceededException');
    await cognito.send(new ResendConfirmationCodeCommand({ ClientId: CLIENT_ID, Username: email }));
    await confirm(h.lastCode(email));
  });

  it('resends a code, which replaces the old one, and expires codes after 24 hours', async () => {
    const email = freshEmail('resend');
    await cognito.send(
      new SignUpCommand({ ClientId: CLIENT_ID, Username: email, Password: STRONG_PASSWORD }),
    );
    const first = h.lastCode(email);
    const resent = await cognito.send(
      new ResendConfirmationCodeCommand({ ClientId: CLIENT_ID, Username: email }),
    );
    expect(resent.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
    const second = h.lastCode(email);
    h.advance(25 * 3600 * 1000);
    try {
      await expectAwsError(
        cognito.send(
          new ConfirmSignUpCommand({
            ClientId: CLIENT_ID,
            Username: email,
            ConfirmationCode: second,
          }),
        ),
        'ExpiredCodeException',
      );
    } finally {
      h.advance(-25 * 3600 * 1000);
    }
    if (first !== second) {
      await expectAwsError(
        cognito.send(
          new ConfirmSignUpCommand({
            ClientId: CLIENT_ID,
            Username: email,
            ConfirmationCode: first,
          }),
        ),
        'CodeMismatchException',
      );
    }
  });
});

describe('refresh, revocation and sign-out', () => {
  it('refreshes through REFRESH_TOKEN_AUTH, REFRESH_TOKEN and GetTokensFromRefreshToken', async () => {
    const email = freshEmail('refresh');
    await signUpAndConfirm(email);
    const first = (await passwordAuth(email, STRONG_PASSWORD)).AuthenticationResult!;
    const firstAccess = decodeJwt(first.AccessToken!);

    for (const flow of ['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN'] as const) {
      const out = await cognito.send(
        new InitiateAuthCommand({
          ClientId: CLIENT_ID,
          AuthFlow: flow,
          AuthParameters: { REFRESH_TOKEN: first.RefreshToken! },
        }),
      );
      const refreshed = out.AuthenticationResult!;
      expect(refreshed.RefreshToken).toBeUndefined();
      const access = decodeJwt(refreshed.AccessToken!);
      expect(access.jti).not.toBe(firstAccess.jti);
      expect(access.origin_jti).toBe(firstAccess.origin_jti);
      expect(access.auth_time).toBe(firstAccess.auth_time);
      await cognito.send(new GetUserCommand({ AccessToken: refreshed.AccessToken }));
    }

    const viaNewApi = await cognito.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: CLIENT_ID,
        RefreshToken: first.RefreshToken,
      }),
    );
    expect(decodeJwt(viaNewApi.AuthenticationResult!.IdToken!).token_use).toBe('id');

    await expectAwsError(
      cognito.send(
        new GetTokensFromRefreshTokenCommand({ ClientId: CLIENT_ID, RefreshToken: 'garbage' }),
      ),
      'NotAuthorizedException',
      'Invalid Refresh Token',
    );
  });

  it('refuses a revoked refresh token and the access tokens it produced', async () => {
    const email = freshEmail('revoke');
    await signUpAndConfirm(email);
    const tokens = (await passwordAuth(email, STRONG_PASSWORD)).AuthenticationResult!;
    await cognito.send(new RevokeTokenCommand({ ClientId: CLIENT_ID, Token: tokens.RefreshToken }));

    await expectAwsError(
      cognito.send(
        new GetTokensFromRefreshTokenCommand({
          ClientId: CLIENT_ID,
          RefreshToken: tokens.RefreshToken,
        }),
      ),
      'NotAuthorizedException',
      'Refresh Token has been revoked',
    );
    await expectAwsError(
      cognito.send(
        new InitiateAuthCommand({
          ClientId: CLIENT_ID,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: tokens.RefreshToken! },
        }),
      ),
      'NotAuthorizedException',
      'Refresh Token has been revoked',
    );
    await expectAwsError(
      cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken })),
      'NotAuthorizedException',
      'Access Token has been revoked',
    );
  });

  it('signs out everywhere with GlobalSignOut', async () => {
    const email = freshEmail('global');
    await signUpAndConfirm(email);
    const a = (await passwordAuth(email, STRONG_PASSWORD)).AuthenticationResult!;
    const b = (await passwordAuth(email, STRONG_PASSWORD)).AuthenticationResult!;
    await cognito.send(new GlobalSignOutCommand({ AccessToken: a.AccessToken }));
    for (const session of [a, b]) {
      await expectAwsError(
        cognito.send(
          new GetTokensFromRefreshTokenCommand({
            ClientId: CLIENT_ID,
            RefreshToken: session.RefreshToken,
          }),
        ),
        'NotAuthorizedException',
      );
    }
  });

  it('refuses an expired access token', async () => {
    const email = freshEmail('expired');
    await signUpAndConfirm(email);
    const tokens = (await passwordAuth(email, STRONG_PASSWORD)).AuthenticationResult!;
    h.advance(3601 * 1000);
    try {
      await expectAwsError(
        cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken })),
        'NotAuthorizedException',
        'Access Token has expired',
      );
    } finally {
      h.advance(-3601 * 1000);
    }
  });
});

describe('passwords', () => {
  it('resets a forgotten password with an emailed code', async () => {
    const email = freshEmail('forgot');
    await signUpAndConfirm(email);
    const out = await cognito.send(
      new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: email }),
    );
    expect(out.CodeDeliveryDetails?.AttributeName).toBe('email');
    const code = h.lastCode(email, 'forgot-password');
    const newPassword = 'N3w-Passw0rd!';

    await expectAwsError(
      cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: CLIENT_ID,
          Username: email,
          ConfirmationCode: code,
          Password: 'weak',
        }),
      ),
      'InvalidPasswordException',
    );
    await expectAwsError(
      cognito.send(
        new ConfirmForgotPasswordCommand({
          ClientId: CLIENT_ID,
          Username: email,
          ConfirmationCode: code === '123456' ? '654321' : '123456',
          Password: newPassword,
        }),
      ),
      'CodeMismatchException',
    );
    await cognito.send(
      new ConfirmForgotPasswordCommand({
        ClientId: CLIENT_ID,
        Username: email,
        ConfirmationCode: code,
        Password: newPassword,
      }),
    );
    await expectAwsError(passwordAuth(email, STRONG_PASSWORD), 'NotAuthorizedException');
    expect((await passwordAuth(email, newPassword)).AuthenticationResult?.AccessToken).toBeTruthy();
  });

  it('hides whether an account exists when a reset is requested', async () => {
    const out = await cognito.send(
      new ForgotPasswordCommand({ ClientId: CLIENT_ID, Username: freshEmail('ghost') }),
    );
    expect(out.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
  });

  it('changes the password of a signed-in user', async () => {
    const email = freshEmail('change');
    await signUpAndConfirm(email);
    const tokens = (await passwordAuth(email, STRONG_PASSWORD)).AuthenticationResult!;
    await expectAwsError(
      cognito.send(
        new ChangePasswordCommand({
          AccessToken: tokens.AccessToken,
          PreviousPassword: 'Wr0ng-Password!',
          ProposedPassword: 'An0ther-Pass!',
        }),
      ),
      'NotAuthorizedException',
    );
    await cognito.send(
      new ChangePasswordCommand({
        AccessToken: tokens.AccessToken,
        PreviousPassword: STRONG_PASSWORD,
        ProposedPassword: 'An0ther-Pass!',
      }),
    );
    expect((await passwordAuth(email, 'An0ther-Pass!')).AuthenticationResult).toBeDefined();
  });
});

describe('groups and admin operations', () => {
  it('puts seeded groups into both tokens', async () => {
    const email = freshEmail('staff');
    await h.service.seedUser({ email, password: STRONG_PASSWORD, groups: ['Warehouse'] });
    const tokens = (await passwordAuth(email, STRONG_PASSWORD)).AuthenticationResult!;
    expect(decodeJwt(tokens.IdToken!)['cognito:groups']).toEqual(['Warehouse']);
    expect(decodeJwt(tokens.AccessToken!)['cognito:groups']).toEqual(['Warehouse']);
    // Seeding again resets the password instead of failing.
    await h.service.seedUser({ email, password: 'Res33ded-Pass!', groups: ['Warehouse'] });
    expect((await passwordAuth(email, 'Res33ded-Pass!')).AuthenticationResult).toBeDefined();
  });

  it('adds a user to a group; the next refresh carries it', async () => {
    const email = freshEmail('promoted');
    await signUpAndConfirm(email);
    const tokens = (await passwordAuth(email, STRONG_PASSWORD)).AuthenticationResult!;
    await cognito.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: POOL_ID,
        Username: email,
        GroupName: 'Warehouse',
      }),
    );
    await expectAwsError(
      cognito.send(
        new AdminAddUserToGroupCommand({ UserPoolId: POOL_ID, Username: email, GroupName: 'Nope' }),
      ),
      'ResourceNotFoundException',
    );
    const refreshed = await cognito.send(
      new GetTokensFromRefreshTokenCommand({
        ClientId: CLIENT_ID,
        RefreshToken: tokens.RefreshToken,
      }),
    );
    expect(decodeJwt(refreshed.AuthenticationResult!.IdToken!)['cognito:groups']).toEqual([
      'Warehouse',
    ]);
  });

  it('creates a user with a temporary password that must be changed at first sign-in', async () => {
    const email = freshEmail('invited');
    const created = await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: POOL_ID,
        Username: email,
        TemporaryPassword: 'Temp0rary-Pass!',
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    expect(created.User?.UserStatus).toBe('FORCE_CHANGE_PASSWORD');
    const challenge = await passwordAuth(email, 'Temp0rary-Pass!');
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const done = await cognito.send(
      new RespondToAuthChallengeCommand({
        ClientId: CLIENT_ID,
        ChallengeName: 'NEW_PASSWORD_REQUIRED',
        Session: challenge.Session,
        ChallengeResponses: { USERNAME: email, NEW_PASSWORD: 'F1nal-Password!' },
      }),
    );
    expect(done.AuthenticationResult?.IdToken).toBeTruthy();
    const listed = await cognito.send(
      new ListUsersCommand({ UserPoolId: POOL_ID, Filter: `email = "${email}"` }),
    );
    expect(listed.Users).toHaveLength(1);
    expect(listed.Users?.[0]?.UserStatus).toBe('CONFIRMED');
    expect(listed.Users?.[0]?.UserCreateDate).toBeInstanceOf(Date);
  });

  it('confirms a sign-up as an admin', async () => {
    const email = freshEmail('adminconfirm');
    await cognito.send(
      new SignUpCommand({ ClientId: CLIENT_ID, Username: email, Password: STRONG_PASSWORD }),
    );
    await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: POOL_ID, Username: email }));
    expect((await passwordAuth(email, STRONG_PASSWORD)).AuthenticationResult).toBeDefined();
  });

  it('refuses unsigned admin calls', async () => {
    const response = await fetch(h.baseUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.ListUsers',
      },
      body: JSON.stringify({ UserPoolId: POOL_ID }),
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(((await response.json()) as { __type: string }).__type).toBe(
      'MissingAuthenticationTokenException',
    );
  });

  it('names operations it does not implement in an AWS-shaped error', async () => {
    const response = await fetch(h.baseUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.AssociateSoftwareToken',
      },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { __type: string }).__type).toBe(
      'UnknownOperationException',
    );
  });
});

describe('persistence', () => {
  it('keeps users and the signing key across a restart on a database file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cognito-'));
    try {
      const first = await startCognito(join(dir, 'cloud.db'));
      const email = freshEmail('durable');
      await first.service.seedUser({ email, password: STRONG_PASSWORD });
      const jwks1 = await (await fetch(`${first.baseUrl}/${POOL_ID}/.well-known/jwks.json`)).json();
      await first.close();

      const second = await startCognito(join(dir, 'cloud.db'));
      const client = new CognitoIdentityProviderClient({
        region: 'us-east-1',
        endpoint: second.baseUrl,
        credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
      });
      const out = await client.send(
        new InitiateAuthCommand({
          ClientId: CLIENT_ID,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: STRONG_PASSWORD },
        }),
      );
      expect(out.AuthenticationResult?.AccessToken).toBeTruthy();
      const jwks2 = await (
        await fetch(`${second.baseUrl}/${POOL_ID}/.well-known/jwks.json`)
      ).json();
      expect(jwks2).toEqual(jwks1);
      client.destroy();
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
