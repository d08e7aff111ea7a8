/* The sign-in popup's last step: mint a widget token with this first-party session and hand it
 * to the widget that opened the popup. postMessage targets Parley's own origin only, so a page
 * that opened this window itself (any other origin) receives nothing. */
(function () {
  "use strict";
  var box = document.getElementById("embed-auth");
  if (!box) return;
  var status = document.getElementById("embed-auth-status");
  var button = document.getElementById("embed-auth-continue");

  function say(text) { status.textContent = text; }

  function connect() {
    if (!window.opener) {
      say("You are signed in. Go back to the article and reload it to comment.");
      return;
    }
    button.disabled = true;
    fetch(box.getAttribute("data-token-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": box.getAttribute("data-csrf") },
      body: JSON.stringify({ origin: box.getAttribute("data-origin") || null })
    })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
      .then(function (answer) {
        if (!answer.ok) throw new Error(answer.data.error || "Could not sign in.");
        var d = answer.data;
        window.opener.postMessage({ type: "parley:token", token: d.token, user: d.user, expires_at: d.expires_at }, location.origin);
        say("Signed in. You can close this window.");
        window.close();
      })
      .catch(function (error) {
        say(error.message + " Try again.");
        button.disabled = false;
      });
  }

  button.addEventListener("click", connect);
  connect();
})();
