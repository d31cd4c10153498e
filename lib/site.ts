export const SITE = {
  name: 'Harbor Roasters',
  tagline: 'Small-batch coffee, tea and the gear to brew them.',
} as const;
