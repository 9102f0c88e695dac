// letdown save queue: every entry the coach, the log form and the timer make goes through here.
// - An entry is "saved" only when the server answered 2xx. Until then it is kept on the device
//   (localStorage), with a key (Idempotency-Key) the server uses to spot a repeat: a resend after
//   a lost answer, a second tab, a reload racing a save all give one row.
// - A refusal (4xx) turns the entry into a draft with the server's message; a draft waits for
//   the parent to correct it and never holds up the entries behind it.
// - A network failure, or a 5xx/408/429, retries with backoff (2 s doubling to 5 min).
// - One flush at a time, across tabs: the Web Locks API where there is one, else a lock with an
//   expiry in localStorage.
// No framework, nothing from another host.
(function (global) {
  "use strict";
  var STORE = "letdown.queue.v1";
  var LOCK = "letdown-flush";
  var BACKOFF_MS = [2000, 4000, 8000, 16000, 32000, 60000, 120000, 300000];
  // The server's field names in the words of the forms.
  var LABELS = {
    left_ml: "Left side", right_ml: "Right side", passive_ml: "Other side (passive)", left: "Left side",
    right: "Right side", passive: "Other side (passive)", started_at: "Start time", start: "Start time",
    ended_at: "End time", ended_ms: "Length", minutes: "Minutes", method: "Method", let_downs: "Let-downs",
    comfort: "Comfort", note: "Note", unit: "Unit", events: "Coach events", csrf: "Page"
  };
  // The log form's input for each server field (to show the message next to it).
  var INPUTS = { left_ml: "left", right_ml: "right", passive_ml: "passive", started_at: "start", ended_at: "minutes" };
  var timer = null, running = null;

  function load() {
    try { var items = JSON.parse(localStorage.getItem(STORE) || "[]"); return Array.isArray(items) ? items : []; }
    catch (e) { return []; }
  }
  function store(items) { localStorage.setItem(STORE, JSON.stringify(items)); changed(); }
  function change(key, fn) {  // read-modify-write on the freshest copy (another tab may have written)
    var items = load(), hit = null;
    for (var i = 0; i < items.length; i++) if (items[i].key === key) { hit = fn(items[i]) || items[i]; items[i] = hit; }
    store(items.filter(function (x) { return !x.gone; }));
    return hit;
  }
  function newKey() {
    if (global.crypto && crypto.randomUUID) return crypto.randomUUID();
    var a = new Uint8Array(16); crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  function csrf() {
    var m = document.querySelector("meta[name=csrf-token]");
    return m ? m.content : "";
  }
  function changed(detail) {
    global.dispatchEvent(new CustomEvent("letdown:queue", { detail: detail || {} }));
  }

  // The parent's words: "Left side: 1500 ml is over the 1000 ml limit for one side; ...".
  function words(data, status) {
    if (data && data.errors && data.errors.length) {
      return data.errors.map(function (e) {
        var label = LABELS[e.field] || e.field;
        return label ? label + ": " + e.message : e.message;
      }).join("; ");
    }
    if (data && data.error) return data.error;
    return "The server refused this entry (" + status + ").";
  }

  function send(item) {
    var headers = { Accept: "application/json", "Idempotency-Key": item.key, "X-CSRF-Token": csrf() };
    var body;
    if (item.format === "form") {
      var form = new URLSearchParams();
      Object.keys(item.body).forEach(function (k) {
        var v = item.body[k];
        (Array.isArray(v) ? v : [v]).forEach(function (x) { if (x !== null && x !== undefined) form.append(k, String(x)); });
      });
      form.set("csrf", csrf());
      headers["Content-Type"] = "application/x-www-form-urlencoded";
      body = form.toString();
    } else {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(item.body);
    }
    return fetch(item.url, { method: "POST", credentials: "same-origin", headers: headers, body: body })
      .then(function (r) {
        return r.text().then(function (text) {
          var data = null;
          try { data = JSON.parse(text); } catch (e) { /* not JSON: a proxy's page */ }
          if (r.ok) return { ok: true, data: data || {} };
          var retry = r.status >= 500 || r.status === 408 || r.status === 429 || (r.status === 401 && !data);
          if (retry) return { retry: true, message: "The server is busy (" + r.status + "); trying again soon." };
          var field = data && data.errors && data.errors[0] ? data.errors[0].field : null;
          return { refused: true, message: words(data, r.status), field: field, status: r.status };
        });
      }, function () { return { retry: true, message: "No connection; it will be sent when you are back online." }; });
  }

  function withLock(fn) {
    if (navigator.locks && navigator.locks.request) return navigator.locks.request(LOCK, fn);
    // Fallback: a lock in localStorage with an owner and an expiry (a crashed tab frees it).
    var me = newKey(), name = "letdown.queue.lock";
    function take() {
      var held = null;
      try { held = JSON.parse(localStorage.getItem(name) || "null"); } catch (e) { held = null; }
      if (held && held.until > Date.now() && held.owner !== me) return false;
      localStorage.setItem(name, JSON.stringify({ owner: me, until: Date.now() + 30000 }));
      return JSON.parse(localStorage.getItem(name)).owner === me;
    }
    return new Promise(function (resolve) {
      (function attempt() {
        if (!take()) { setTimeout(attempt, 250); return; }
        Promise.resolve().then(fn).then(function (v) { localStorage.removeItem(name); resolve(v); },
          function () { localStorage.removeItem(name); resolve(); });
      })();
    });
  }

  function due() {
    var now = Date.now();
    return load().filter(function (x) { return x.state === "queued" && (x.next || 0) <= now; })[0] || null;
  }

  function flushLocked() {
    var item = due();
    if (!item) return Promise.resolve();
    return send(item).then(function (res) {
      if (res.ok) {
        change(item.key, function (x) { x.gone = true; });
        changed({ saved: item, data: res.data });
        return flushLocked();
      }
      if (res.refused) {
        change(item.key, function (x) {
          x.state = "draft"; x.error = res.message; x.field = res.field; x.tries = 0; x.next = 0;
        });
        changed({ refused: item, message: res.message, field: res.field });
        return flushLocked();  // the entries behind it go on
      }
      var tries = (item.tries || 0) + 1;
      change(item.key, function (x) {
        x.tries = tries; x.next = Date.now() + BACKOFF_MS[Math.min(tries, BACKOFF_MS.length) - 1]; x.note = res.message;
      });
      changed({ retry: item, message: res.message });
      schedule();
      return null;  // the network is down: the others would fail the same way
    });
  }

  function flush() {
    if (running) return running.then(function () { return flushNow(); });
    return flushNow();
  }
  function flushNow() {
    if (!due()) { schedule(); return Promise.resolve(); }
    running = withLock(flushLocked).then(function () { running = null; schedule(); },
      function () { running = null; schedule(); });
    return running;
  }
  function schedule() {
    clearTimeout(timer);
    var waiting = load().filter(function (x) { return x.state === "queued"; });
    if (!waiting.length) return;
    var next = Math.min.apply(null, waiting.map(function (x) { return x.next || 0; }));
    timer = setTimeout(flush, Math.max(250, next - Date.now()));
  }

  // item: {url, format: "json"|"form", body, kind, label, page (where to correct it), fields, extra}
  function add(item) {
    item.key = item.key || newKey();
    item.state = "queued"; item.error = null; item.field = null; item.tries = 0; item.next = 0;
    item.created = item.created || new Date().toISOString();
    var items = load().filter(function (x) { return x.key !== item.key; });
    items.push(item);
    store(items);
    flush();
    return item.key;
  }
  // A corrected draft: the same key (a refusal kept none on the server), the new body.
  function resend(key, changes) {
    var hit = change(key, function (x) {
      Object.keys(changes).forEach(function (k) { x[k] = changes[k]; });
      x.state = "queued"; x.error = null; x.field = null; x.tries = 0; x.next = 0;
    });
    flush();
    return hit;
  }
  function drop(key) { change(key, function (x) { x.gone = true; }); }
  function get(key) { return load().filter(function (x) { return x.key === key; })[0] || null; }

  // The "offline" badge and the count of unsent entries, on every page (base.html).
  function badge() {
    var el = document.getElementById("net-badge");
    if (!el) return;
    var items = load(), queued = items.filter(function (x) { return x.state === "queued"; }).length;
    var drafts = items.filter(function (x) { return x.state === "draft"; });
    el.textContent = "";
    var parts = [];
    if (!navigator.onLine) parts.push(["offline", "Offline"]);
    if (queued) parts.push(["unsent", queued + " unsent"]);
    parts.forEach(function (p) {
      var s = document.createElement("span"); s.className = "pill " + p[0]; s.dataset.badge = p[0]; s.textContent = p[1];
      el.appendChild(s);
    });
    drafts.forEach(function (d) {
      var a = document.createElement("a");
      a.className = "pill draft"; a.dataset.badge = "draft";
      a.href = (d.page || "/log/new") + "#draft=" + encodeURIComponent(d.key);
      a.textContent = "Not saved: " + (d.label || "an entry") + " (fix it)";
      el.appendChild(a);
    });
    el.hidden = !el.childNodes.length;
  }

  global.LetdownQueue = {
    add: add, resend: resend, drop: drop, get: get, list: load, flush: flush, newKey: newKey,
    label: function (field) { return LABELS[field] || field; }, input: function (field) { return INPUTS[field] || field; }
  };

  // A form with data-queue="KIND" (the log form, the timer) saves through the queue: its fields
  // go as a form post with Accept: application/json; a refusal shows next to its field and the
  // form stays as it was typed; data-queue-done names the page to open once saved.
  function fieldsOf(form) {
    var out = {};
    new FormData(form).forEach(function (v, k) {
      if (k === "csrf" || k === "idempotency_key" || typeof v !== "string") return;
      if (out[k] === undefined) out[k] = v;
      else out[k] = [].concat(out[k], v);
    });
    return out;
  }
  function fillForm(form, fields) {
    Object.keys(fields || {}).forEach(function (k) {
      var values = [].concat(fields[k]), inputs = form.querySelectorAll("[name='" + k + "']");
      if (inputs.length < values.length && form.dataset.more === k) {
        for (var n = inputs.length; n < values.length; n++) form.dispatchEvent(new CustomEvent("letdown:more"));
        inputs = form.querySelectorAll("[name='" + k + "']");
      }
      for (var i = 0; i < inputs.length; i++) inputs[i].value = values[i] !== undefined ? values[i] : "";
    });
  }
  function showError(form, message, field) {
    form.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
    if (!message) return;
    var input = field && form.querySelector("[name='" + (INPUTS[field] || field) + "']");
    var p = document.createElement("p");
    p.className = "field-error";
    p.setAttribute("role", "alert");
    p.textContent = "Not saved: " + message;
    if (input) {
      input.setAttribute("aria-invalid", "true");
      var at = input.closest("label") || input;
      at.parentNode.insertBefore(p, at.nextSibling);
      input.focus();
    } else form.insertBefore(p, form.firstChild);
  }
  function bindForm(form) {
    var kind = form.dataset.queue, key = null;
    var status = document.createElement("p");
    status.setAttribute("role", "status");
    status.className = "queue-status";
    form.parentNode.insertBefore(status, form.nextSibling);
    var wanted = /#draft=([^&]+)/.exec(location.hash), draft = wanted && get(decodeURIComponent(wanted[1]));
    if (draft && draft.kind === kind) {
      key = draft.key;
      fillForm(form, draft.fields);
      showError(form, draft.error, draft.field);
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var fields = fieldsOf(form), button = form.querySelector("[type=submit]");
      showError(form, null);
      form.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
      if (button) button.disabled = true;
      status.textContent = navigator.onLine ? "Saving…" : "Kept on this device; it will be sent when you are back online.";
      var start = String(fields.start || "");
      var label = (form.dataset.queueLabel || "session") + (start.length >= 16 ? " at " + start.slice(11, 16) : "");
      if (key && get(key)) resend(key, { body: fields, fields: fields, label: label });
      else key = add({ url: form.action, format: "form", body: fields, fields: fields, kind: kind, page: location.pathname, label: label });
    });
    global.addEventListener("letdown:queue", function (e) {
      var d = e.detail || {}, button = form.querySelector("[type=submit]");
      if (d.saved && d.saved.key === key) {
        key = null;
        // The server may name where to go next (the log offers "Store this milk" for it).
        var next = form.dataset.queueFollow !== undefined && d.data && d.data.next;
        if (next && next.charAt(0) === "/" && next.charAt(1) !== "/") { location.href = next; return; }
        if (form.dataset.queueDone) { location.href = form.dataset.queueDone; return; }
        status.textContent = "Saved.";
      } else if (d.refused && d.refused.key === key) {
        if (button) button.disabled = false;
        status.textContent = "Not saved. Correct it and save again; it is kept on this device until then.";
        showError(form, d.message, d.field);
      } else if (d.retry && d.retry.key === key) {
        // Kept: the form is done with (a second tap must not make a second entry).
        form.hidden = true;
        status.textContent = "Kept on this device; it will be sent when you are back online. ";
        var again = document.createElement("a");
        again.href = location.pathname;
        again.textContent = "Log another";
        status.appendChild(again);
      }
    });
  }

  if (typeof document === "undefined") return;
  function start() {
    badge();
    document.querySelectorAll("form[data-queue]").forEach(bindForm);
    flush();
  }
  global.addEventListener("online", function () { badge(); flush(); });
  global.addEventListener("offline", badge);
  global.addEventListener("letdown:queue", badge);
  global.addEventListener("storage", function (e) { if (e.key === STORE) badge(); });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "visible") flush(); });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})(typeof window !== "undefined" ? window : this);
