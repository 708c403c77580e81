import AfterNavigation from './after-navigation.js'

export default function Second() {
  return <AfterNavigation />
}
