import { describe, expect, it } from 'vitest';
import { passesLuhn } from './card';
import { checkoutFormSchema, fieldErrors } from './schema';

const valid = {
  shippingAddress: {
    fullName: 'Ada Lovelace',
    email: 'ada@example.com',
    line1: '12 Analytical Row',
    city: 'London',
    postalCode: 'N1 9GU',
    country: 'GB',
  },
  payment: { cardNumber: '4242 4242 4242 4242', expiry: '12/39', cvc: '123' },
};

function errorsFor(input: unknown) {
  const result = checkoutFormSchema.safeParse(input);
  return result.success ? {} : fieldErrors(result.error);
}

describe('checkout schema', () => {
  it('accepts a complete form and normalizes the card number', () => {
    const result = checkoutFormSchema.parse(valid);
    expect(result.payment.cardNumber).toBe('4242424242424242');
    expect(result.shippingAddress.fullName).toBe('Ada Lovelace');
  });

  it('accepts every documented test card', () => {
    for (const cardNumber of [
      '4242 4242 4242 4242',
      '4000 0000 0000 0002',
      '4000 0000 0000 0119',
    ]) {
      expect(errorsFor({ ...valid, payment: { ...valid.payment, cardNumber } })).toEqual({});
    }
  });

  it('names each missing field with a message for people', () => {
    const errors = errorsFor({
      shippingAddress: {
        fullName: '  ',
        email: '',
        line1: '',
        city: '',
        postalCode: '',
        country: '',
      },
      payment: { cardNumber: '', expiry: '', cvc: '' },
    });
    expect(errors).toMatchObject({
      'shippingAddress.fullName': 'Enter your full name.',
      'shippingAddress.email': 'Enter your email address.',
      'shippingAddress.line1': 'Enter the street address.',
      'shippingAddress.city': 'Enter the town or city.',
      'shippingAddress.postalCode': 'Enter the postal code.',
      'shippingAddress.country': 'Choose a country from the list.',
      'payment.cardNumber': 'Enter the card number.',
      'payment.expiry': 'Enter the expiry date.',
      'payment.cvc': 'Enter the 3 or 4 digit security code.',
    });
  });

  it('rejects malformed values', () => {
    const errors = errorsFor({
      shippingAddress: { ...valid.shippingAddress, email: 'ada@', postalCode: '!!', country: 'XX' },
      payment: { cardNumber: '4242 4242 4242 4241', expiry: '13/30', cvc: '12' },
    });
    expect(errors['shippingAddress.email']).toMatch(/valid email/);
    expect(errors['shippingAddress.postalCode']).toBe('Enter a valid postal code.');
    expect(errors['shippingAddress.country']).toBe('Choose a country from the list.');
    expect(errors['payment.cardNumber']).toMatch(/not valid/);
    expect(errors['payment.expiry']).toBe('Enter the expiry date as MM/YY.');
    expect(errors['payment.cvc']).toMatch(/3 or 4 digit/);
  });

  it('refuses a valid card number that is not a test card', () => {
    const errors = errorsFor({
      ...valid,
      payment: { ...valid.payment, cardNumber: '5555 5555 5555 4444' },
    });
    expect(errors['payment.cardNumber']).toMatch(/takes no real cards/);
  });

  it('rejects an expired card and over-long fields', () => {
    const errors = errorsFor({
      shippingAddress: { ...valid.shippingAddress, city: 'x'.repeat(61) },
      payment: { ...valid.payment, expiry: '01/20' },
    });
    expect(errors['payment.expiry']).toBe('This card has expired.');
    expect(errors['shippingAddress.city']).toMatch(/at most 60/);
  });
});

describe('Luhn', () => {
  it('knows good from bad numbers', () => {
    expect(passesLuhn('4242424242424242')).toBe(true);
    expect(passesLuhn('4242424242424241')).toBe(false);
    expect(passesLuhn('4242x')).toBe(false);
  });
});
