/*
 * axios's UMD build, required by path. axios's package.json says "type": "module", so
 * webpack and esbuild load the file as an ES module (no `module`: its factory's result
 * goes on the global object), Vite as CommonJS (`module.exports`): take it where it lands.
 */
var loaded = require('../../../../node_modules/axios/dist/axios.js')

module.exports = (loaded && loaded.default) || window.axios
