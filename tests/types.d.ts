declare module '@babel/plugin-transform-modules-commonjs' {
  import type { PluginItem } from '@babel/core'
  const plugin: PluginItem
  export default plugin
}
