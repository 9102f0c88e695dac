// Progressive enhancement only: every page works without this file.
(function () {
  var root = document.documentElement;
  var toggle = document.querySelector("[data-theme-toggle]");
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var dark = root.dataset.theme ? root.dataset.theme === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
      root.dataset.theme = dark ? "light" : "dark";
      document.cookie = "letdown_theme=" + root.dataset.theme + ";path=/;max-age=31536000;samesite=lax";
    });
  }
  function span(ms) {
    var m = Math.floor(Math.abs(ms) / 60000), d = Math.floor(m / 1440), h = Math.floor((m % 1440) / 60);
    m = m % 60;
    if (d) return d + " d " + h + " h";
    if (h) return h + " h " + (m < 10 ? "0" : "") + m + " min";
    return m + " min";
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-until]").forEach(function (el) {
      var left = Date.parse(el.dataset.until) - now;
      el.textContent = left > 0 ? span(left) : "now";
    });
    document.querySelectorAll("[data-since]").forEach(function (el) {
      el.textContent = span(now - Date.parse(el.dataset.since));
    });
  }
  tick();
  setInterval(tick, 30000);
  document.querySelectorAll("[data-print]").forEach(function (el) {
    el.hidden = false;
    el.addEventListener("click", function () { window.print(); });
  });
  var tz = document.querySelector("[data-tz-guess]");
  if (tz && /^(Etc\/)?UTC$/.test(tz.value) && window.Intl) {
    tz.value = Intl.DateTimeFormat().resolvedOptions().timeZone || tz.value;
  }
  var search = document.querySelector("[data-live-search]");
  if (search) {
    var out = document.getElementById(search.dataset.liveSearch), timer;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        fetch("/guide/results?q=" + encodeURIComponent(search.value)).then(function (r) { return r.text(); })
          .then(function (html) { out.innerHTML = html; });
      }, 150);
    });
  }
  // The log form's let-downs: one number-pad box per let-down (a phone's pad has no comma).
  var more = document.querySelector("[data-add-let-down]");
  if (more) {
    var box = document.getElementById("let-downs"), form = more.closest("form");
    more.hidden = false;
    var add = function () {
      var input = document.createElement("input");
      input.name = "let_downs";
      input.setAttribute("inputmode", "decimal");
      input.setAttribute("aria-label", "Another let-down, minutes into the session");
      box.appendChild(input);
      return input;
    };
    more.addEventListener("click", function () { add().focus(); });
    if (form) form.addEventListener("letdown:more", add);
  }
  // Offline: the service worker (static/sw.js) keeps the app's pages once a parent has signed in.
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      // Signed in: the worker fetches whatever of Home, the log form, the timer, the coach and
      // the guide it has not kept yet (nothing when it has them all).
      if (document.body.dataset.member === "1" && reg.active) reg.active.postMessage({ type: "warm" });
    }, function () { /* no service worker: the app still works online */ });
    document.querySelectorAll("form[action='/signout']").forEach(function (form) {
      form.addEventListener("submit", function () {
        if (navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage({ type: "forget" });
      });
    });
  }
})();
