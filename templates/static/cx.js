// The CX workspace shows times in the viewer's time zone: this tells the
// server which one it is, in a cookie the next pages are written with (this
// page says which zone it used). Without it the pages use the team
// calendar's.
(function () {
  "use strict";
  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!zone || !/^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+){0,2}$/.test(zone)) {
    return;
  }
  if (document.cookie.split("; ").indexOf("followup_tz=" + zone) < 0) {
    document.cookie = "followup_tz=" + zone + "; path=/; max-age=31536000; samesite=lax";
  }
})();
