import { checkedEntry, unplugin } from './core.js'

export type { PluginOptions } from './options.js'

const sentryTraceWebpack = checkedEntry(unplugin.webpack)

export default sentryTraceWebpack

/** What `require()` of this entry returns (Node's require of an ES module): the plugin itself, as `import` gives it. */
export { sentryTraceWebpack as 'module.exports' }
