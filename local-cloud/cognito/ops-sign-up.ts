import { codeMismatch, invalidParameter, notAuthorized, requireString } from './errors';
import { assertPasswordPolicy } from './passwords';
import type { Operation } from './runtime';
import { maskEmail, parseAttributes } from './users';

// The pools behave as Amplify Gen 2 deploys them: PreventUserExistenceErrors is on, so
// unknown users get the same answers as known ones wherever Cognito hides existence.
const hiddenDelivery = (given: string) => ({
  CodeDeliveryDetails: {
    Destination: given.includes('@') ? maskEmail(given.toLowerCase()) : undefined,
    DeliveryMedium: 'EMAIL',
    AttributeName: 'email',
  },
});

export const signUp: Operation = async (rt, input) => {
  const { pool } = rt.pools.byClient(input.ClientId as string | undefined);
  const givenUsername = requireString(input, 'Username');
  const password = requireString(input, 'Password');
  const attributes = parseAttributes(input.UserAttributes);
  if (pool.signInWith === 'username' && !attributes.email) {
    throw invalidParameter(
      'Attributes did not conform to the schema: email: The attribute is required',
    );
  }
  assertPasswordPolicy(password, pool.passwordPolicy);
  // A client cannot vouch for its own email.
  delete attributes.email_verified;
  const user = await rt.users.create({
    pool,
    givenUsername,
    password,
    attributes,
    status: 'UNCONFIRMED',
  });
  const delivery = rt.codes.issue(user, 'signup');
  return { UserConfirmed: false, UserSub: user.sub, CodeDeliveryDetails: delivery };
};

export const confirmSignUp: Operation = async (rt, input) => {
  const { pool } = rt.pools.byClient(input.ClientId as string | undefined);
  const user = rt.users.find(pool, requireString(input, 'Username'));
  const code = requireString(input, 'ConfirmationCode');
  if (!user) throw codeMismatch();
  if (user.status !== 'UNCONFIRMED') {
    throw notAuthorized(`User cannot be confirmed. Current status is ${user.status}`);
  }
  rt.codes.redeem(user, 'signup', code);
  rt.users.save({
    ...user,
    status: 'CONFIRMED',
    attributes: { ...user.attributes, email_verified: 'true' },
  });
  return {};
};

export const resendConfirmationCode: Operation = async (rt, input) => {
  const { pool } = rt.pools.byClient(input.ClientId as string | undefined);
  const given = requireString(input, 'Username');
  const user = rt.users.find(pool, given);
  if (!user) return hiddenDelivery(given);
  if (user.status !== 'UNCONFIRMED') throw invalidParameter('User is already confirmed.');
  return { CodeDeliveryDetails: rt.codes.issue(user, 'signup') };
};

export const forgotPassword: Operation = async (rt, input) => {
  const { pool } = rt.pools.byClient(input.ClientId as string | undefined);
  const given = requireString(input, 'Username');
  const user = rt.users.find(pool, given);
  if (!user) return hiddenDelivery(given);
  if (!user.email || user.attributes.email_verified !== 'true') {
    throw invalidParameter(
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
  }
  return { CodeDeliveryDetails: rt.codes.issue(user, 'forgot-password') };
};

export const confirmForgotPassword: Operation = async (rt, input) => {
  const { pool } = rt.pools.byClient(input.ClientId as string | undefined);
  const user = rt.users.find(pool, requireString(input, 'Username'));
  const code = requireString(input, 'ConfirmationCode');
  const password = requireString(input, 'Password');
  assertPasswordPolicy(password, pool.passwordPolicy);
  if (!user) throw codeMismatch();
  rt.codes.redeem(user, 'forgot-password', code);
  // A reset proves control of the (verified) email, so a FORCE_CHANGE/RESET_REQUIRED user
  // ends up CONFIRMED, as in Cognito.
  await rt.users.setPassword(pool, user, password, 'CONFIRMED');
  return {};
};
