// letdown timer: one tap from Home starts it. Per-side times, switch side, pause and resume,
// let-downs; Stop asks for the volumes and saves through the save queue (savequeue.js), online
// or not. The run is kept on the device, so a reload or a closed tab carries on.
(function () {
  "use strict";
  var root = document.getElementById("timer");
  if (!root) return;
  var KEY = "letdown.timer";
  var $ = function (id) { return document.getElementById(id); };
  var run = null, tick = null;

  function load() { try { return JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { return null; } }
  function keep() { if (run) localStorage.setItem(KEY, JSON.stringify(run)); else localStorage.removeItem(KEY); }
  function clock(ms) {
    var s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
    s = s % 60;
    return (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }
  function method() {
    var picked = document.querySelector("input[name=timer-method]:checked");
    return picked ? picked.value : "pump";
  }
  function open() { return run.segments.length && run.segments[run.segments.length - 1].to === null; }
  function sides(now) {
    var out = { left: 0, right: 0 };
    run.segments.forEach(function (seg) { out[seg.side] += (seg.to === null ? now : seg.to) - seg.from; });
    return out;
  }
  function show(section) {
    $("timer-idle").hidden = section !== "idle";
    $("timer-run").hidden = section !== "run";
    $("timer-done").hidden = section !== "done";
    $("timer-method").hidden = section === "done";
  }
  function render() {
    if (!run) { show("idle"); return; }
    var now = run.stopped || Date.now(), per = sides(now);
    $("timer-clock").textContent = clock(now - run.started);
    $("timer-left").textContent = clock(per.left);
    $("timer-right").textContent = clock(per.right);
    var side = run.side;
    root.querySelectorAll("[data-side]").forEach(function (p) { p.classList.toggle("on", p.dataset.side === side && open()); });
    $("timer-state").textContent = run.stopped ? "Stopped" : open() ? "Expressing: " + side + " side" : "Paused";
    $("timer-pause").textContent = open() ? "Pause" : "Resume";
    $("timer-letdowns").textContent = run.letDowns.length + (run.letDowns.length === 1 ? " let-down" : " let-downs");
    root.dataset.state = run.stopped ? "stopped" : open() ? "running" : "paused";
    if (run.stopped) done();
    else show("run");
  }
  function start() {
    var now = Date.now();
    localStorage.setItem("letdown.timer.method", method());
    run = { method: method(), started: now, side: "left", segments: [{ side: "left", from: now, to: null }], letDowns: [], stopped: null };
    keep();
    begin();
  }
  function begin() {
    clearInterval(tick);
    tick = setInterval(render, 500);
    render();
  }
  function close(now) { if (open()) run.segments[run.segments.length - 1].to = now; }
  function switchSide() {
    var now = Date.now(), running = open();
    close(now);
    run.side = run.side === "left" ? "right" : "left";
    if (running || !run.segments.length) run.segments.push({ side: run.side, from: now, to: null });
    keep(); render();
  }
  function pause() {
    var now = Date.now();
    if (open()) close(now);
    else run.segments.push({ side: run.side, from: now, to: null });
    keep(); render();
  }
  function letDown() {
    run.letDowns.push(Date.now() - run.started);
    keep(); render();
  }
  function stop() {
    var now = Date.now();
    close(now);
    run.stopped = now;
    keep();
    clearInterval(tick);
    render();
  }
  function localInput(ms) {  // datetime-local in this device's zone, to the second
    var d = new Date(ms), p = function (n) { return (n < 10 ? "0" : "") + n; };
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + "T" + p(d.getHours()) + ":" + p(d.getMinutes()) + ":" + p(d.getSeconds());
  }
  function offset(ms) {  // +HH:MM of this device at that moment: the server reads the time as meant
    var o = -new Date(ms).getTimezoneOffset(), sign = o >= 0 ? "+" : "-", a = Math.abs(o);
    return sign + (a / 60 < 10 ? "0" : "") + Math.floor(a / 60) + ":" + (a % 60 < 10 ? "0" : "") + (a % 60);
  }
  function done() {
    show("done");
    var per = sides(run.stopped), minutes = Math.max(0.1, Math.round((run.stopped - run.started) / 6000) / 10);
    $("timer-start-at").value = localInput(run.started) + offset(run.started);
    $("timer-minutes").value = String(minutes);
    $("timer-method-at").value = run.method;
    $("timer-let-downs").value = run.letDowns.map(function (ms) { return String(Math.round(ms / 6000) / 10); }).join(" ");
    $("timer-summary").textContent = run.method + ", " + clock(run.stopped - run.started) + " in all: left " +
      clock(per.left) + ", right " + clock(per.right) + ", " + run.letDowns.length +
      (run.letDowns.length === 1 ? " let-down." : " let-downs.");
  }

  $("timer-start").addEventListener("click", start);
  $("timer-switch").addEventListener("click", switchSide);
  $("timer-pause").addEventListener("click", pause);
  $("timer-letdown").addEventListener("click", letDown);
  $("timer-stop").addEventListener("click", stop);
  $("timer-discard").addEventListener("click", function () {
    if (!window.confirm("Discard this timing? Nothing will be saved.")) return;
    run = null; keep(); render();
  });
  document.querySelectorAll("input[name=timer-method]").forEach(function (r) {
    r.addEventListener("change", function () {
      localStorage.setItem("letdown.timer.method", r.value);
      if (run && !run.stopped) { run.method = r.value; keep(); }
    });
  });
  // The queue has it now: the timer is done with (saved, or kept to send when back online).
  $("timer-form").addEventListener("submit", function () { run = null; keep(); });
  window.addEventListener("beforeunload", function (e) {
    if (run && !run.stopped) { e.preventDefault(); e.returnValue = ""; }
  });

  var last = localStorage.getItem("letdown.timer.method");
  document.querySelectorAll("input[name=timer-method]").forEach(function (r) { r.checked = r.value === last || (!last && r.checked); });
  run = load();
  if (run) {
    document.querySelectorAll("input[name=timer-method]").forEach(function (r) { r.checked = r.value === run.method; });
    begin();
  } else if (/[?&]start=1/.test(location.search) && !/#draft=/.test(location.hash)) {
    history.replaceState(null, "", "/timer");
    start();
  } else render();
  if (/#draft=/.test(location.hash)) show("done");
})();
