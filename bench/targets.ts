/**
 * The tracePropagationTargets of every part of the bench (builds, transform, size,
 * the pages and the SDK they are compared to): same-origin `/api` and one partner API.
 * Browser-safe: the request pages import it too.
 */
export const BENCH_TARGETS: Array<string | RegExp> = [/^\/api/, 'api.example.com']
