// An Angular CLI build links the SDK's partially compiled service ahead of time; a
// page built without it has Angular's JIT compiler do that, loaded before the SDK.
import '@angular/compiler'
export * from '../node_modules/@sentry/angular/fesm2020/sentry-angular.mjs'
