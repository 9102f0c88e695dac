// letdown service worker: the app opens offline after one visit. Plain JS, no build step; the
// server serves it at /sw.js with `self.LETDOWN = {version, assets, pages}` on its first line
// (web/render.py). Nothing is fetched from another host.
// - Static files (their URLs carry the version): cache first, from the versioned cache.
// - Pages: network first, so they stay current; offline, the last copy seen, else a short
//   offline page. Every page a signed-in parent opens is kept, and the app shell, Home, the log
//   form, the timer, the coach and every guide topic are fetched once at install (and again
//   when the page asks, after signing in).
// - Writes (POST) never touch the cache: the save queue (savequeue.js) keeps them.
// - Signing out, or a page answering with the sign-in form, empties the page cache.
"use strict";
var CONFIG = self.LETDOWN || { version: "dev", assets: [], pages: [] };
var ASSETS = "letdown-assets-" + CONFIG.version;
var PAGES = "letdown-pages-" + CONFIG.version;

function warm() {
  return caches.open(PAGES).then(function (cache) {
    return Promise.all(CONFIG.pages.map(function (url) {
      return fetch(url, { credentials: "same-origin", redirect: "follow" }).then(function (r) {
        // Not signed in: the page redirects to the sign-in form; keep nothing for it.
        if (r.ok && !r.redirected) return cache.put(url, r);
        return null;
      }, function () { return null; });
    }));
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(ASSETS).then(function (cache) { return cache.addAll(CONFIG.assets); })
      .then(warm).then(function () { return self.skipWaiting(); })
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
  if (data.type === "warm") event.waitUntil(warm());
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
  return fetch(request).then(function (response) {
    if (response.redirected && new URL(response.url).pathname === "/signin") {
      caches.delete(PAGES);  // signed out (or never signed in): keep no one's pages
    } else if (response.ok && !response.redirected && url.pathname !== "/signin") {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { cache.put(url.pathname + url.search, copy); });
    }
    return response;
  }, function () {
    return caches.open(PAGES).then(function (cache) {
      return cache.match(url.pathname + url.search).then(function (hit) {
        return hit || cache.match(url.pathname, { ignoreSearch: true });
      });
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
