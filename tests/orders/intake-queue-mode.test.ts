import { intakeModeSpec } from './intake-mode';

intakeModeSpec('queue');
