// The same $.ajax calls, whichever build of jQuery the scenario loaded.
import { note } from './transcript.js'

function failure(jqXHR, textStatus, errorThrown) {
  return { status: jqXHR.status, textStatus, errorThrown, responseText: jqXHR.responseText }
}

function settle(label, request) {
  return new Promise((resolve) => {
    request.then(
      (data, textStatus, jqXHR) => resolve(note(label, { data, textStatus, status: jqXHR.status, contentType: jqXHR.getResponseHeader('content-type') })),
      (jqXHR, textStatus, errorThrown) => resolve(note(label, failure(jqXHR, textStatus, errorThrown))),
    )
  })
}

export async function ajaxCalls($, name) {
  note('version', $.fn.jquery)
  note('global $', typeof window.jQuery)
  await settle('GET json', $.ajax({ url: `/api/${name}/get`, dataType: 'json', data: { page: 1 } }))
  await settle('POST form', $.ajax({ url: `/other/${name}/post`, method: 'POST', data: { a: 1, b: 'two' } }))
  await settle('getJSON', $.getJSON(`/api/${name}/getjson`))
  await settle('custom header', $.ajax({ url: `/api/${name}/headers`, headers: { 'X-Custom': 'jq' }, contentType: 'application/json', method: 'PUT', data: '{"j":1}' }))
  await settle('404', $.ajax(`/api/status/404`))
  await settle('beforeSend', $.ajax({ url: `/api/${name}/before-send`, beforeSend: (xhr) => xhr.setRequestHeader('X-Before', '1') }))
  const xhr = $.ajaxSettings.xhr()
  note('ajaxSettings.xhr', [xhr instanceof XMLHttpRequest, xhr.constructor === XMLHttpRequest])
}
