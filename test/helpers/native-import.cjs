// Node's own import(), for modules that must not go through vitest's transform (test/helpers/cli.ts):
// vitest runs every .mjs file outside node_modules through vite-node, but not this file's import().
module.exports = (url) => import(url)
