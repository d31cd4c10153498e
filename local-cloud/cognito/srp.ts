import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// Server side of Cognito's SRP-6a variant (USER_SRP_AUTH / PASSWORD_VERIFIER), written against
// the client math in @aws-amplify/auth (providers/cognito/utils/srp): 3072-bit group, g = 2,
// k = H(N | g), x = H(salt | H(poolName | username | ':' | password)), HKDF over S with
// salt u and info "Caldera Derived Key\x01", signature = HMAC(key, poolName | user | block | ts).

const N = BigInt(
  '0x' +
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A0879' +
    '8E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B' +
    '0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA4836' +
    '1C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804' +
    'F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6' +
    '955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64' +
    'ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D226' +
    '1AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2' +
    '08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
const g = 2n;

/** Even-length hex with a leading 00 when the top bit is set (Java BigInteger#toByteArray). */
function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 !== 0) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

const sha256Hex = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const hashHex = (hex: string) => sha256Hex(Buffer.from(hex, 'hex'));
const toBigInt = (hex: string) => BigInt(`0x${hex}`);

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = ((base % modulus) + modulus) % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

const k = toBigInt(hashHex(padHex(N) + padHex(g)));

export interface SrpVerifier {
  /** Hex, as sent to the client in SALT. */
  salt: string;
  /** Hex of g^x mod N: what Cognito keeps instead of the password for SRP. */
  verifier: string;
}

export function createSrpVerifier(
  poolName: string,
  username: string,
  password: string,
): SrpVerifier {
  const salt = padHex(toBigInt(randomBytes(16).toString('hex')));
  const x = toBigInt(hashHex(salt + sha256Hex(`${poolName}${username}:${password}`)));
  return { salt, verifier: padHex(modPow(g, x, N)) };
}

export interface SrpServerState {
  A: bigint;
  b: bigint;
  B: bigint;
  verifier: bigint;
}

/** Returns null when A is not acceptable (A mod N == 0), which the caller refuses. */
export function startSrp(srpA: string, verifierHex: string): SrpServerState | null {
  if (!/^[0-9a-f]+$/i.test(srpA)) return null;
  const A = toBigInt(srpA);
  if (A % N === 0n) return null;
  const verifier = toBigInt(verifierHex);
  for (;;) {
    const b = toBigInt(randomBytes(128).toString('hex'));
    const B = (k * verifier + modPow(g, b, N)) % N;
    if (B !== 0n) return { A, b, B, verifier };
  }
}

export const srpBHex = (state: SrpServerState) => state.B.toString(16);

/** Checks PASSWORD_CLAIM_SIGNATURE the way Cognito does, in constant time. */
export function verifyPasswordClaim(input: {
  state: SrpServerState;
  poolName: string;
  username: string;
  secretBlock: string;
  timestamp: string;
  signature: string;
}): boolean {
  const { A, b, B, verifier } = input.state;
  const u = toBigInt(hashHex(padHex(A) + padHex(B)));
  if (u === 0n) return false;
  const S = modPow((A * modPow(verifier, u, N)) % N, b, N);
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex'))
    .update(Buffer.from(padHex(S), 'hex'))
    .digest();
  const key = createHmac('sha256', prk)
    .update(Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]))
    .digest()
    .subarray(0, 16);
  const expected = createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(input.poolName, 'utf8'),
        Buffer.from(input.username, 'utf8'),
        Buffer.from(input.secretBlock, 'base64'),
        Buffer.from(input.timestamp, 'utf8'),
      ]),
    )
    .digest();
  const given = Buffer.from(input.signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
