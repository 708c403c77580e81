/** What the pages request. */
export const MATCHING_URL = '/api/items?page=1'
export const NON_MATCHING_URL = 'https://cdn.third-party.example/pixel.gif'
