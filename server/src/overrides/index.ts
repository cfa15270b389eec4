/** Per-account exceptions to the plan. Other domains import from here, never from the files. */
export { Override } from './override.entity.js';
export { OverrideType } from './override.type.js';
export { OverridesService } from './overrides.service.js';
export { OverridesResolver } from './overrides.resolver.js';
export type { OverridesContext } from './overrides.context.js';
