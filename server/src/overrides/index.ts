/** Per-account exceptions to the plan, and four-eyes requests for them. Other domains import from here, never from the files. */
export { Override } from './override.entity.js';
export { OverrideRequest } from './override-request.entity.js';
export { OverrideType } from './override.type.js';
export { OverridesService, type OverridesOptions } from './overrides.service.js';
export { OverridesResolver } from './overrides.resolver.js';
export { OverrideRequestsResolver } from './override-requests.resolver.js';
export { OverrideRequestStatus } from './override-request.type.js';
export type { OverridesContext } from './overrides.context.js';
