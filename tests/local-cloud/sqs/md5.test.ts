import { describe, expect, test } from 'vitest';
import { md5OfAttributes } from '../../../local-cloud/sqs/md5';

/** Digests published with the documented algorithm (aws-md5-of-message-attributes' examples). */
describe('MD5OfMessageAttributes', () => {
  const binary = Buffer.from('Hello binary world!').toString('base64');
  test.each([
    [
      { attribName1: { DataType: 'String', StringValue: 'attribValue 1' } },
      '19e27d4e946b072f3f58da80d94fd778',
    ],
    [
      {
        customNumberTypeAttrib: {
          DataType: 'Number.float',
          StringValue: '4563442423554324324264524243.32543234',
        },
      },
      '9fe1b90bbd9965bdf77bac517c7d2495',
    ],
    [
      { binaryAttribute: { DataType: 'Binary', BinaryValue: binary } },
      '31a92b15d92f8db860eda32aceb656c3',
    ],
    [
      {
        attribName1: { DataType: 'String', StringValue: 'attribValue 1' },
        customNumberTypeAttrib: {
          DataType: 'Number.float',
          StringValue: '4563442423554324324264524243.32543234',
        },
        binaryAttribute: { DataType: 'Binary', BinaryValue: binary },
      },
      'c932db14a896c663f83c260297d594ff',
    ],
  ])('%j', (attributes, digest) => {
    expect(md5OfAttributes(attributes)).toBe(digest);
  });

  test('no attributes, no digest', () => {
    expect(md5OfAttributes({})).toBeUndefined();
  });
});
