/** `npm run layout`: the domains and their run-time dependencies, for the Layout drawing in docs/development.md. */
module.exports = {
  extends: './.dependency-cruiser.cjs',
  // Leave out imports that vanish at run time (import type): the drawing shows what loads what.
  options: { tsPreCompilationDeps: false },
};
