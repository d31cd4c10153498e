import {
  AdminAddUserToGroupCommand,
  CognitoIdentityProviderClient,
  GetTokensFromRefreshTokenCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import {
  autoSignIn,
  confirmResetPassword,
  confirmSignUp,
  fetchAuthSession,
  fetchUserAttributes,
  getCurrentUser,
  resetPassword,
  signIn,
  signOut,
  signUp,
  updatePassword,
} from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { MemoryStorage } from '../../support/memory-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLIENT_ID,
  POOL_ID,
  STRONG_PASSWORD,
  freshEmail,
  startCognito,
  type Harness,
} from './cognito-fixtures/harness';

/** The token store, with a look at the refresh token Amplify keeps in it. */
class MapStorage extends MemoryStorage {
  refreshToken(): string | undefined {
    for (const [key, value] of this.items) if (key.endsWith('.refreshToken')) return value;
    return undefined;
  }
}

let h: Harness;
let admin: CognitoIdentityProviderClient;
const storage = new MapStorage();

beforeAll(async () => {
  h = await startCognito();
  admin = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: h.baseUrl,
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
  });
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: POOL_ID,
        userPoolClientId: CLIENT_ID,
        userPoolEndpoint: h.baseUrl,
        loginWith: { email: true },
      },
    },
  });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
});

afterAll(async () => {
  if (process.env.COGNITO_TRACE) console.log(h?.operations.join('\n'));
  admin?.destroy();
  await h?.close();
});

describe('aws-amplify v6 against the local user pool', () => {
  const email = freshEmail('amplify');
  let firstSession: Awaited<ReturnType<typeof fetchAuthSession>>;

  it('signs up and confirms with the printed code', async () => {
    const out = await signUp({
      username: email,
      password: STRONG_PASSWORD,
      options: { userAttributes: { email } },
    });
    expect(out.isSignUpComplete).toBe(false);
    expect(out.nextStep.signUpStep).toBe('CONFIRM_SIGN_UP');
    const confirmed = await confirmSignUp({
      username: email,
      confirmationCode: h.lastCode(email),
    });
    expect(confirmed.isSignUpComplete).toBe(true);
    await admin.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: POOL_ID,
        Username: email,
        GroupName: 'Warehouse',
      }),
    );
  });

  it('signs in with USER_PASSWORD_AUTH and exposes tokens with the groups claim', async () => {
    const out = await signIn({
      username: email,
      password: STRONG_PASSWORD,
      options: { authFlowType: 'USER_PASSWORD_AUTH' },
    });
    expect(out.isSignedIn).toBe(true);
    expect(out.nextStep.signInStep).toBe('DONE');

    firstSession = await fetchAuthSession();
    const { idToken, accessToken } = firstSession.tokens ?? {};
    expect(idToken?.payload['cognito:groups']).toEqual(['Warehouse']);
    expect(idToken?.payload.email).toBe(email.toLowerCase());
    expect(accessToken?.payload.token_use).toBe('access');
    expect(firstSession.userSub).toBe(idToken?.payload.sub);

    const user = await getCurrentUser();
    expect(user.signInDetails?.loginId).toBe(email);
    const attributes = await fetchUserAttributes();
    expect(attributes.email_verified).toBe('true');
  });

  it('refreshes the tokens when forced', async () => {
    const before = h.operations.length;
    const refreshed = await fetchAuthSession({ forceRefresh: true });
    const refreshCalls = h.operations
      .slice(before)
      .filter((op) => op === 'GetTokensFromRefreshToken' || op === 'InitiateAuth');
    expect(refreshCalls).toEqual(['GetTokensFromRefreshToken']);
    expect(refreshed.tokens?.accessToken.payload.jti).not.toBe(
      firstSession.tokens?.accessToken.payload.jti,
    );
    expect(refreshed.tokens?.idToken?.payload['cognito:groups']).toEqual(['Warehouse']);
  });

  it('changes the password while signed in', async () => {
    const before = h.operations.length;
    await updatePassword({ oldPassword: STRONG_PASSWORD, newPassword: 'Upd4ted-Pass!' });
    expect(h.operations.slice(before)).toEqual(['ChangePassword']);
    // Checked from a separate client, so Amplify's signed-in session is left as it was.
    const passwordAuth = (password: string) =>
      admin.send(
        new InitiateAuthCommand({
          ClientId: CLIENT_ID,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      );
    await expect(passwordAuth(STRONG_PASSWORD)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
    });
    const signedIn = await passwordAuth('Upd4ted-Pass!');
    expect(signedIn.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });

  it('signs out and revokes the refresh token it held', async () => {
    const refreshToken = storage.refreshToken();
    expect(refreshToken).toBeTruthy();
    await signOut();
    expect(h.operations.at(-1)).toBe('RevokeToken');
    expect(storage.refreshToken()).toBeUndefined();
    await expect(
      admin.send(
        new GetTokensFromRefreshTokenCommand({ ClientId: CLIENT_ID, RefreshToken: refreshToken }),
      ),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    const session = await fetchAuthSession();
    expect(session.tokens).toBeUndefined();
  });

  it('resets a forgotten password', async () => {
    const out = await resetPassword({ username: email });
    expect(out.nextStep.resetPasswordStep).toBe('CONFIRM_RESET_PASSWORD_WITH_CODE');
    await confirmResetPassword({
      username: email,
      confirmationCode: h.lastCode(email, 'forgot-password'),
      newPassword: 'Res3t-Password!',
    });
    const signedIn = await signIn({
      username: email,
      password: 'Res3t-Password!',
      options: { authFlowType: 'USER_PASSWORD_AUTH' },
    });
    expect(signedIn.isSignedIn).toBe(true);
    await signOut({ global: true });
    expect(h.operations.at(-1)).toBe('GlobalSignOut');
  });

  it("signs in with the Authenticator's default SRP flow", async () => {
    const before = h.operations.length;
    const out = await signIn({ username: email, password: 'Res3t-Password!' });
    expect(out.isSignedIn).toBe(true);
    expect(h.operations.slice(before)).toEqual(['InitiateAuth', 'RespondToAuthChallenge']);
    const session = await fetchAuthSession();
    expect(session.tokens?.idToken?.payload['cognito:groups']).toEqual(['Warehouse']);
    await signOut();
  });

  it('signs up and in the way the Authenticator does (autoSignIn after the code)', async () => {
    const newcomer = freshEmail('auto');
    const before = h.operations.length;
    const out = await signUp({
      username: newcomer,
      password: STRONG_PASSWORD,
      options: { userAttributes: { email: newcomer }, autoSignIn: true },
    });
    expect(out.nextStep.signUpStep).toBe('CONFIRM_SIGN_UP');
    const confirmed = await confirmSignUp({
      username: newcomer,
      confirmationCode: h.lastCode(newcomer),
    });
    expect(confirmed.nextStep.signUpStep).toBe('COMPLETE_AUTO_SIGN_IN');
    const signedIn = await autoSignIn();
    expect(signedIn.isSignedIn).toBe(true);
    expect((await getCurrentUser()).signInDetails?.loginId).toBe(newcomer);
    expect(h.operations.slice(before)).toEqual([
      'SignUp',
      'ConfirmSignUp',
      'InitiateAuth',
      'RespondToAuthChallenge',
    ]);
    await signOut();
  });

  it('refuses a wrong password over SRP with the error Cognito gives', async () => {
    await expect(signIn({ username: email, password: 'Wr0ng-Password!' })).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });
  });
});
