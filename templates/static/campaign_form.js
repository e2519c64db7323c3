/* followup campaign form: explains the cron schedule in words as it is
   typed ("every Monday at 09:00, Europe/Paris"), asking the server
   (GET /marketing/cron/explain), which reads specs as the campaigns do.
   Without script, the page shows the explanation after a save. */
(function () {
  "use strict";
  var cron = document.getElementById("f-cron");
  var tz = document.getElementById("f-time_zone");
  var out = document.getElementById("cron-words");
  if (!cron || !tz || !out) { return; }
  var timer = null, asked = 0;
  function explain() {
    var spec = cron.value.trim();
    if (spec === "") { out.textContent = ""; out.classList.remove("bad"); return; }
    var n = ++asked;
    var url = "/marketing/cron/explain?spec=" + encodeURIComponent(spec) + "&tz=" + encodeURIComponent(tz.value.trim());
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
      .then(function (res) {
        if (n !== asked) { return; } // a later question is on its way
        if (res.ok) {
          out.textContent = res.body[document.documentElement.lang] || res.body.en;
          out.classList.remove("bad");
        } else {
          var what = res.body.field === "trigger.time_zone" ? out.getAttribute("data-label-tz") : out.getAttribute("data-label-cron");
          out.textContent = what + res.body.error;
          out.classList.add("bad");
        }
        out.setAttribute("data-spec", spec);
      })
      .catch(function () { /* the explanation comes back after the save */ });
  }
  function soon() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(explain, 250);
  }
  cron.addEventListener("input", soon);
  tz.addEventListener("input", soon);
  tz.addEventListener("change", soon);
})();
