import { intakeModeSpec } from './intake-mode';

intakeModeSpec('direct');
