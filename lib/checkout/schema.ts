import type { ShippingAddress } from '@/amplify/functions/shared/workflow-types';
import { z } from 'zod';
import { findTestCard } from '@/amplify/functions/shared/test-cards';
import { expiryEnd, normalizeCardNumber, passesLuhn } from './card';

// Zod 4 probes `new Function('')` to decide whether to compile its parsers; the page's Content
// Security Policy forbids eval, and the browser reports the refused probe as a violation.
// Jitless parsing skips the probe (and is fast enough for one form).
z.config({ jitless: true });

/**
 * The checkout form's rules, shared by the browser (inline errors) and the order API
 * (which must never trust the browser). Messages are written for shoppers.
 */
export const COUNTRIES = [
  { code: 'US', name: 'United States' },
  { code: 'CA', name: 'Canada' },
  { code: 'GB', name: 'United Kingdom' },
  { code: 'IE', name: 'Ireland' },
  { code: 'DE', name: 'Germany' },
  { code: 'FR', name: 'France' },
  { code: 'NL', name: 'Netherlands' },
  { code: 'AU', name: 'Australia' },
] as const;

type CountryCode = (typeof COUNTRIES)[number]['code'];
const countryCodes = COUNTRIES.map((country) => country.code) as [CountryCode, ...CountryCode[]];

const required = (label: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `Enter ${label}.`)
    .max(max, `${label[0]!.toUpperCase()}${label.slice(1)} must be at most ${max} characters.`);

export const shippingAddressSchema = z.object({
  fullName: required('your full name', 100),
  email: z
    .string()
    .trim()
    .min(1, 'Enter your email address.')
    .pipe(z.email('Enter a valid email address, like name@example.com.')),
  line1: required('the street address', 100),
  line2: z.string().trim().max(100, 'Address line 2 must be at most 100 characters.').optional(),
  city: required('the town or city', 60),
  postalCode: z
    .string()
    .trim()
    .min(1, 'Enter the postal code.')
    .regex(/^[A-Za-z0-9][A-Za-z0-9 -]{1,9}$/, 'Enter a valid postal code.'),
  country: z.enum(countryCodes, 'Choose a country from the list.'),
});

export const paymentCardSchema = z.object({
  cardNumber: z
    .string()
    .transform(normalizeCardNumber)
    .pipe(
      z
        .string()
        .min(1, 'Enter the card number.')
        .regex(/^\d{13,19}$/, 'A card number has 13 to 19 digits.')
        .refine(passesLuhn, 'This card number is not valid. Check it for typos.')
        // A demo must never receive real card numbers: only the published test cards pass.
        .refine(
          (digits) => !passesLuhn(digits) || findTestCard(digits) !== undefined,
          'This demo takes no real cards. Use one of the test cards listed on this page.',
        ),
    ),
  expiry: z
    .string()
    .trim()
    .min(1, 'Enter the expiry date.')
    .refine((value) => expiryEnd(value) !== undefined, 'Enter the expiry date as MM/YY.')
    .refine((value) => {
      const end = expiryEnd(value);
      return end === undefined || end.getTime() > Date.now();
    }, 'This card has expired.'),
  cvc: z
    .string()
    .trim()
    .regex(/^\d{3,4}$/, 'Enter the 3 or 4 digit security code.'),
});

export const checkoutFormSchema = z.object({
  shippingAddress: shippingAddressSchema,
  payment: paymentCardSchema,
});

export type CheckoutFormInput = z.input<typeof checkoutFormSchema>;
export type CheckoutForm = z.output<typeof checkoutFormSchema>;

/** Flat `section.field` → first message, the shape forms and problem+json both use. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const path = issue.path.join('.');
    if (!(path in errors)) errors[path] = issue.message;
  }
  return errors;
}

/** The form's address as the order and the workflow store it (`name`, no email, no empty line2). */
export function toShippingAddress(address: CheckoutForm['shippingAddress']): ShippingAddress {
  return {
    name: address.fullName,
    line1: address.line1,
    ...(address.line2 ? { line2: address.line2 } : {}),
    city: address.city,
    postalCode: address.postalCode,
    country: address.country,
  };
}
