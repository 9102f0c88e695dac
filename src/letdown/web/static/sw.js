// letdown service worker: the app opens offline after one visit. Plain JS, no build step; the
// server serves it at /sw.js with `self.LETDOWN = {version, assets, pages}` on its first line
// (web/render.py). Nothing is fetched from another host.
// - Static files (their URLs carry the version): cache first, from the versioned cache.
// - Pages: network first; offline, the copy kept, else a short offline page. The app shell,
//   Home, the log, the log form, the timer, the coach and every guide topic are kept: fetched
//   at install, when a signed-in page asks for what is missing, and refreshed online.
// - Writes (POST) never touch the cache: the save queue (savequeue.js) keeps them.
// - Signing out empties the page cache (app.js sends "forget").
"use strict";
var CONFIG = self.LETDOWN || { version: "dev", assets: [], pages: [] };
var ASSETS = "letdown-assets-" + CONFIG.version;
var PAGES = "letdown-pages-" + CONFIG.version;

var refreshed = 0;
function refreshSoon() {  // online: bring the kept pages up to date, at most every 2 minutes
  if (Date.now() - refreshed < 120000) return;
  refreshed = Date.now();
  warm(true);
}

function warm(all) {
  // The pages not kept yet, one at a time (gentle on a small server); a body not kept is read to
  // the end so its connection is free for the next.
  return caches.open(PAGES).then(function (cache) {
    return CONFIG.pages.reduce(function (done, url) {
      return done.then(function () { return all ? null : cache.match(url, { ignoreVary: true }); }).then(function (hit) {
        if (hit) return null;
        return fetch(url, { credentials: "same-origin", redirect: "follow" }).then(function (r) {
          // Not signed in: the page redirects to the sign-in form; keep nothing for it.
          if (r.ok && !r.redirected) return cache.put(url, r);
          return r.arrayBuffer().then(function () { return null; });
        }).catch(function () { return null; });
      });
    }, Promise.resolve());
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(ASSETS).then(function (cache) { return cache.addAll(CONFIG.assets); })
      .then(function () { refreshed = Date.now(); return warm(false); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) {
        return n.indexOf("letdown-") === 0 && n !== ASSETS && n !== PAGES;
      }).map(function (n) { return caches.delete(n); }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "warm") event.waitUntil(warm(false));
  if (data.type === "forget") event.waitUntil(caches.delete(PAGES));
});

function offlinePage() {
  var html = "<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport content='width=device-width, initial-scale=1'>" +
    "<title>Offline · letdown</title><link rel=stylesheet href='/static/app.css?v=" + CONFIG.version + "'>" +
    "<main id=main><h1>Offline</h1><p>This page has not been opened on this device yet, so it cannot be shown offline.</p>" +
    "<p><a href='/'>Home</a> · <a href='/log/new'>Log a session</a> · <a href='/timer'>Timer</a> · <a href='/coach'>Coach</a> · <a href='/guide'>Guide</a></p></main></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function page(request) {
  var url = new URL(request.url);
  // The copy kept is the worker's own fetch (warm), never a clone of the page's response: a
  // navigation cut short would abort the clone and Chrome then drops the entry it replaced.
  return fetch(request).then(function (response) {
    if (response.ok && !response.redirected) refreshSoon();
    return response;
  }, function () {
    var exact = url.pathname + url.search;
    return caches.match(exact, { cacheName: PAGES, ignoreVary: true }).then(function (hit) {
      return hit || caches.match(url.pathname, { cacheName: PAGES, ignoreSearch: true, ignoreVary: true });
    }).then(function (hit) { return hit || offlinePage(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/api/") === 0 || url.pathname === "/sw.js") return;
  if (url.pathname.indexOf("/static/") === 0 || url.pathname === "/manifest.webmanifest") {
    event.respondWith(caches.open(ASSETS).then(function (cache) {
      return cache.match(request).then(function (hit) {
        return hit || fetch(request).then(function (r) {
          if (r.ok && url.search) cache.put(request, r.clone());
          return r;
        });
      });
    }));
    return;
  }
  if (request.mode === "navigate") event.respondWith(page(request));
});
