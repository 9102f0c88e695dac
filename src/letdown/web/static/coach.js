// letdown coach: the plan interpreter (the same rules as domain/coach_player.py, checked by the
// shared vectors in tests/data/coach_vectors.json) and the /coach page that drives it.
// No framework, no assets from elsewhere. Times are whole milliseconds since the start.
(function (global) {
  "use strict";
  var BACK = "$back";

  function Player(plan) {
    this.plan = plan;
    this.steps = {};
    for (var i = 0; i < plan.steps.length; i++) this.steps[plan.steps[i].id] = plan.steps[i];
    this.global = plan.global || {};
    this.current = null;
    this.enteredMs = 0;
    this.nowMs = 0;
    this.spent = {};
    this.counts = {};
    this.returnTo = null;
    this.letDowns = [];
    this.visits = [];
    this.finishedMs = null;
  }

  Player.prototype.step = function () {
    if (this.current === null) throw new Error("the player has not started");
    return this.steps[this.current];
  };
  Player.prototype.finished = function () { return this.finishedMs !== null; };
  Player.prototype.spentBefore = function (step) { return step.resume ? (this.spent[step.id] || 0) : 0; };
  Player.prototype.inStepMs = function (t) {
    if (t === undefined) t = this.nowMs;
    return this.spentBefore(this.step()) + (t - this.enteredMs);
  };
  Player.prototype.remainingMs = function (t) {
    var d = this.step().duration_s;
    if (d === null || d === undefined || this.finished()) return null;
    return Math.max(0, d * 1000 - this.inStepMs(t));
  };
  Player.prototype.primaryEvent = function () {
    return this.step().ends_on === "ready" ? "ready" : "let-down";
  };
  Player.prototype.count = function (stepId, event) { return this.counts[stepId + "|" + event] || 0; };

  Player.prototype.start = function (t) {
    if (this.current !== null) throw new Error("the player has already started");
    this.nowMs = t || 0;
    this.enter(this.plan.start, this.nowMs, "start");
    return this;
  };
  Player.prototype.due = function () {
    if (this.finished() || this.current === null) return null;
    var step = this.step(), base = this.enteredMs - this.spentBefore(step), due = null;
    if (step.duration_s !== null && step.duration_s !== undefined) due = [base + step.duration_s * 1000, "timeout"];
    var wait = step.let_down_wait_s;
    if (wait !== null && wait !== undefined && this.letDowns.length === 0 && this.count(step.id, "no-let-down") === 0) {
      var at = base + wait * 1000;
      if (due === null || at < due[0]) due = [at, "no-let-down"];
    }
    var bound = this.plan.bound;
    if (bound) {
      var began = null;
      for (var i = 0; i < this.visits.length; i++) {
        if (this.visits[i].step === bound.from) { began = this.visits[i].at_ms; break; }
      }
      if (began !== null) {
        var end = began + bound.ms;
        if (due === null || end <= due[0]) due = [end, "time-up"];
      }
    }
    return due;
  };
  Player.prototype.tick = function (t) {
    if (t < this.nowMs) throw new Error("time went back from " + this.nowMs + " ms to " + t + " ms");
    if (this.current === null) throw new Error("the player has not started");
    var due;
    while ((due = this.due()) !== null && due[0] <= t) {
      this.nowMs = due[0];
      this.handle(due[1], due[0]);
    }
    this.nowMs = t;
    return this;
  };
  Player.prototype.event = function (name, t) {
    this.tick(t);
    if (this.finished()) return this;
    if (name === "let-down") this.letDowns.push(t);
    this.handle(name, t);
    return this;
  };
  Player.prototype.handle = function (name, t) {
    var step = this.step(), key = step.id + "|" + name;
    this.counts[key] = (this.counts[key] || 0) + 1;
    var repeat = (step.repeats || {})[name], target;
    if (repeat && this.counts[key] >= repeat.times) target = repeat.to;
    else target = (step.transitions || {})[name] || this.global[name] || null;
    if (target) this.enter(target, t, name);
  };
  Player.prototype.enter = function (target, t, by) {
    if (target === BACK) {
      if (this.returnTo === null) throw new Error("step '" + this.current + "' goes back, but nothing was interrupted");
      target = this.returnTo;
      this.returnTo = null;
    }
    if (!this.steps[target]) throw new Error("no step '" + target + "' in the plan");
    if (this.current !== null) {
      var leaving = this.step();
      if (leaving.resume) this.spent[leaving.id] = (this.spent[leaving.id] || 0) + (t - this.enteredMs);
      if (this.steps[target].returns && !leaving.returns) this.returnTo = leaving.id;
    }
    this.current = target;
    this.enteredMs = t;
    this.visits.push({ step: target, at_ms: t, by: by });
    if (this.steps[target].kind === "finish") this.finishedMs = t;
  };
  Player.prototype.sideMs = function (t) {
    var end = this.finishedMs !== null ? this.finishedMs : (t === undefined ? this.nowMs : t);
    var totals = { left: 0, right: 0 };
    for (var i = 0; i < this.visits.length; i++) {
      var v = this.visits[i], step = this.steps[v.step];
      if (step.kind !== "express" || !(step.side in totals)) continue;
      var until = i + 1 < this.visits.length ? this.visits[i + 1].at_ms : end;
      totals[step.side] += until - v.at_ms;
    }
    return totals;
  };
  Player.prototype.result = function () {
    return {
      visits: this.visits.slice(), let_downs: this.letDowns.slice(), finished_ms: this.finishedMs,
      current: this.current, side_ms: this.sideMs()
    };
  };

  function play(plan, trace, endMs) {
    var p = new Player(plan).start(0);
    for (var i = 0; i < trace.length; i++) {
      if (trace[i].event) p.event(trace[i].event, trace[i].t);
      else p.tick(trace[i].t);
    }
    if (endMs !== undefined && endMs !== null) p.tick(endMs);
    return p.result();
  }

  global.LetdownCoach = { Player: Player, play: play, BACK: BACK };
})(typeof window !== "undefined" ? window : this);

// --- the /coach page -------------------------------------------------------------------------
// The run is kept on the device (localStorage) as the plan, the start time and the events, so a
// reload replays it to where it was; leaving while it runs asks first. The session is saved
// through the save queue (savequeue.js): "saved" only when the server says so.
(function () {
  "use strict";
  var root = typeof document !== "undefined" && document.getElementById("coach");
  if (!root) return;
  var RUN = "letdown.coach.run";
  var $ = function (id) { return document.getElementById(id); };
  var plan = JSON.parse(document.getElementById("coach-plan").textContent);
  var Q = window.LetdownQueue;
  var player = null, startMs = 0, log = [], timer = null, shown = -1, lastBeat = -1, seen = {};
  var audio = null, wakeLock = null, draftKey = null, confirming = false;
  var speak = localStorage.getItem("letdown.coach.speak") === "1";
  var sound = localStorage.getItem("letdown.coach.sound") !== "0";

  function now() { return Math.max(0, Date.now() - startMs); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function keep() {
    localStorage.setItem(RUN, JSON.stringify({ plan: plan, startMs: startMs, log: log, seen: seen }));
  }
  function forget() { localStorage.removeItem(RUN); }

  function tone(freq, ms) {
    if (!sound) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.2, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + ms / 1000);
      osc.connect(gain).connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + ms / 1000);
    } catch (e) { /* no Web Audio here */ }
  }
  function buzz(pattern) { if (navigator.vibrate) { try { navigator.vibrate(pattern); } catch (e) { /* ignore */ } } }
  function say(text) {
    if (!speak || !window.speechSynthesis) return;
    speechSynthesis.cancel();
    speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }
  function lockScreen() {
    if (navigator.wakeLock && document.visibilityState === "visible") {
      navigator.wakeLock.request("screen").then(function (l) { wakeLock = l; }, function () { /* refused */ });
    }
  }
  document.addEventListener("visibilitychange", function () { if (player && !player.finished()) lockScreen(); });

  function toggles() {
    $("coach-speak").setAttribute("aria-pressed", speak ? "true" : "false");
    $("coach-speak").textContent = speak ? "Voice on" : "Voice off";
    $("coach-sound").setAttribute("aria-pressed", sound ? "true" : "false");
    $("coach-sound").textContent = sound ? "Sound on" : "Sound off";
  }

  function render() {
    var t = now();
    player.tick(t);
    var step = player.step();
    if (player.visits.length !== shown) {
      shown = player.visits.length;
      lastBeat = -1;
      $("coach-title").textContent = step.title;
      // The long cue the first time a kind of step comes; the short one after that.
      var again = seen[step.kind] && step.cue_short;
      $("coach-cue").textContent = again ? step.cue_short : step.cue;
      root.dataset.cue = again ? "short" : "long";
      seen[step.kind] = true;
      var list = $("coach-checklist");
      list.textContent = "";
      (step.checklist || []).forEach(function (item) {
        var li = document.createElement("li");
        li.textContent = item.text;
        list.appendChild(li);
      });
      var choices = $("coach-choices");
      choices.textContent = "";
      choices.hidden = !(step.choices || []).length;
      (step.choices || []).forEach(function (choice) {
        var b = document.createElement("button");
        b.type = "button";
        b.className = "btn";
        b.textContent = choice.label;
        b.dataset.choice = choice.event;
        b.addEventListener("click", function (e) { e.stopPropagation(); send(choice.event); });
        choices.appendChild(b);
      });
      $("coach-switch").disabled = !(step.transitions || {})["switch-side"];
      root.dataset.step = step.id;
      root.dataset.kind = step.kind;
      keep();
      tone(660, 250);
      buzz(200);
      say(step.title + ". " + step.cue);
    }
    var left = player.remainingMs(t);
    var clock = $("coach-clock");
    clock.className = left === null ? "coach-clock wait" : "coach-clock";
    if (left === null) clock.textContent = player.finished() ? "" : "Tap when ready";
    else {
      var s = Math.ceil(left / 1000);
      clock.textContent = Math.floor(s / 60) + ":" + pad(s % 60);
    }
    var pulse = $("coach-pulse");
    if (step.kind === "express") {
      // One beat presses for rhythm_s, the next lets go as long: one press every 2 × rhythm_s.
      var beat = Math.floor(player.inStepMs(t) / (step.rhythm_s * 1000));
      var press = beat % 2 === 0, presses = Math.floor(beat / 2) + 1;
      pulse.className = press ? "pulse press" : "pulse release";
      pulse.textContent = press ? "Press" : "Let go";
      var every = step.presses_per_position || 0;
      $("coach-hint").textContent = every && !press && presses % every === 0 ? "Move your fingers round" : "";
      if (beat !== lastBeat) {
        lastBeat = beat;
        if (press) { tone(880, 80); buzz(40); }
      }
    } else {
      pulse.className = "pulse idle";
      pulse.textContent = "";
      $("coach-hint").textContent = "";
    }
    $("coach-letdowns").textContent = player.letDowns.length + (player.letDowns.length === 1 ? " let-down" : " let-downs");
    if (player.finished()) finish();
  }

  function send(name) {
    if (!player || player.finished()) return;
    var t = now();
    player.event(name, t);
    log.push({ t: t, event: name });
    keep();
    if (name === "let-down") { tone(520, 150); buzz([60, 60, 60]); }
    render();
  }

  function show(section) {
    $("coach-intro").hidden = section !== "intro";
    $("coach-run").hidden = section !== "run";
    $("coach-done").hidden = section !== "done";
  }

  function begin(state) {
    if (state) {  // a run kept on the device: replay its events
      plan = state.plan; startMs = state.startMs; log = state.log || []; seen = state.seen || {};
      player = new LetdownCoach.Player(plan).start(0);
      log.forEach(function (e) { if (e.event) player.event(e.event, e.t); else player.tick(e.t); });
    } else {
      startMs = Date.now(); log = []; seen = {};
      player = new LetdownCoach.Player(plan).start(0);
    }
    keep();
    lockScreen();
    show("run");
    render();
    if (!player.finished()) timer = setInterval(render, 100);
  }

  function finish() {
    clearInterval(timer);
    confirm(false);
    if (wakeLock) { wakeLock.release(); wakeLock = null; }
    show("done");
    var end = player.step();
    root.dataset.step = end.id;
    if (end.id !== "finish") $("coach-done-title").textContent = end.title;
    if (end.saves === false) {  // nothing was expressed: nothing to save
      $("coach-summary").textContent = end.cue;
      $("coach-form").hidden = true;
      forget();
      return;
    }
    $("coach-summary").textContent = end.cue + " " + Math.round(player.finishedMs / 6000) / 10 + " min, " +
      player.letDowns.length + (player.letDowns.length === 1 ? " let-down" : " let-downs") + " marked.";
    if (document.activeElement === document.body || !document.activeElement) $("coach-left").focus();
  }

  function confirm(on) {
    confirming = on;
    $("coach-confirm").hidden = !on;
    $("coach-controls").hidden = on;
  }

  function status(text, link) {
    var el = $("coach-status");
    el.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.textContent = " See how it went";
      el.appendChild(a);
    }
  }
  function fieldValue(id) {
    var v = $(id).value.trim();
    return v === "" ? null : Number(v);
  }
  function fields() {
    return {
      left: $("coach-left").value, right: $("coach-right").value, passive: $("coach-passive").value,
      comfort: $("coach-comfort").value, note: $("coach-note").value
    };
  }
  function fill(values) {
    ["left", "right", "passive", "comfort", "note"].forEach(function (k) {
      if (values && values[k] !== undefined && values[k] !== null) $("coach-" + k).value = values[k];
    });
  }

  // The queue answers for our entry: saved, refused (a draft to correct), or kept for later.
  window.addEventListener("letdown:queue", function (e) {
    var d = e.detail || {};
    var mine = function (item) { return item && item.key === draftKey; };
    if (mine(d.saved)) {
      status("Saved.", d.data && d.data.url);
      $("coach-save").disabled = true;
      draftKey = null;
    } else if (mine(d.refused)) {
      status("Not saved: " + d.message + " Correct it and save again; it is kept on this device until then.");
      $("coach-form").dataset.error = d.field || "";
      $("coach-save").disabled = false;
    } else if (mine(d.retry)) {
      status("Kept on this device; it will be sent when you are back online.");
    }
  });

  $("coach-form").addEventListener("submit", function (e) {
    e.preventDefault();
    var values = fields();
    var body = draftKey && Q.get(draftKey) ? Q.get(draftKey).body : {
      options: plan.options, started_at: new Date(startMs).toISOString(), events: log, ended_ms: player.finishedMs
    };
    body.left_ml = fieldValue("coach-left");
    body.right_ml = fieldValue("coach-right");
    body.passive_ml = fieldValue("coach-passive");
    body.comfort = fieldValue("coach-comfort");
    body.note = values.note.trim() || null;
    body.unit = root.dataset.unit || "ml";  // typed in the household's unit; the server converts
    $("coach-save").disabled = true;
    status(navigator.onLine ? "Saving…" : "Kept on this device; it will be sent when you are back online.");
    if (draftKey && Q.get(draftKey)) Q.resend(draftKey, { body: body, fields: values });
    else {
      var started = new Date(startMs);
      draftKey = Q.add({
        url: root.dataset.save, format: "json", body: body, kind: "coach", page: "/coach", fields: values,
        label: "coach session at " + pad(started.getHours()) + ":" + pad(started.getMinutes())
      });
    }
    forget();  // the queue holds it now
  });

  window.addEventListener("beforeunload", function (e) {
    if (player && !player.finished()) { e.preventDefault(); e.returnValue = ""; }
  });

  $("coach-start").addEventListener("click", function (e) { e.stopPropagation(); begin(null); });
  // A tap anywhere means ready or a let-down, but never answers a question (a step with choices).
  function tap() { if (player && !confirming && !(player.step().choices || []).length) send(player.primaryEvent()); }
  $("coach-run").addEventListener("click", tap);
  document.querySelectorAll("[data-event]").forEach(function (b) {
    b.addEventListener("click", function (e) { e.stopPropagation(); send(b.dataset.event); });
  });
  $("coach-finish").addEventListener("click", function (e) { e.stopPropagation(); confirm(true); });
  $("coach-finish-yes").addEventListener("click", function (e) { e.stopPropagation(); send("finish"); });
  $("coach-finish-no").addEventListener("click", function (e) { e.stopPropagation(); confirm(false); });
  $("coach-speak").addEventListener("click", function (e) {
    e.stopPropagation();
    speak = !speak;
    localStorage.setItem("letdown.coach.speak", speak ? "1" : "0");
    if (!speak && window.speechSynthesis) speechSynthesis.cancel();
    toggles();
  });
  $("coach-sound").addEventListener("click", function (e) {
    e.stopPropagation();
    sound = !sound;
    localStorage.setItem("letdown.coach.sound", sound ? "1" : "0");
    toggles();
  });
  document.addEventListener("keydown", function (e) {
    if (!player || player.finished() || e.target.tagName === "INPUT" || e.target.tagName === "TEXTAREA") return;
    var map = { " ": null, s: "flow-slowed", w: "switch-side", p: "pain", z: "pause", q: "finish" };
    if (plan.global.contractions) map.c = "contractions";
    if (!(e.key in map)) return;
    e.preventDefault();
    if (map[e.key] === "finish") confirm(true);
    else if (map[e.key]) send(map[e.key]);
    else tap();
  });
  toggles();

  // A draft the server refused (#draft=KEY from the badge), or a run kept on the device.
  var wanted = /#draft=([^&]+)/.exec(location.hash);
  var draft = wanted && Q.get(decodeURIComponent(wanted[1]));
  var kept = null;
  try { kept = JSON.parse(localStorage.getItem(RUN) || "null"); } catch (err) { kept = null; }
  if (draft && draft.kind === "coach") {
    draftKey = draft.key;
    show("done");
    $("coach-done-title").textContent = "Not saved yet";
    $("coach-summary").textContent = "Coach session of " + draft.body.started_at.slice(0, 16).replace("T", " ") + ".";
    fill(draft.fields);
    status("Not saved: " + (draft.error || "waiting to be sent") + " Correct it and save again.");
  } else if (kept && kept.plan && kept.startMs) {
    begin(kept);
  }
})();
