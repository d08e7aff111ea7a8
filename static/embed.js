/* Parley's comment widget loader: paste
 *   <div id="parley-comments" data-article="SLUG"></div><script src="https://PARLEY/embed.js" async></script>
 * into a page. It asks Parley whether this site may embed it, then puts the thread in an iframe
 * on Parley's origin: the reader's sign-in lives in there, out of reach of the host page's scripts.
 * No framework, no globals, nothing that blocks the page.
 */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector('script[src$="/embed.js"]');
  if (!script || !window.fetch || !window.URLSearchParams) return;
  var parley = new URL(script.src, location.href).origin;

  function start() {
    var box = document.getElementById("parley-comments");
    if (!box || box.getAttribute("data-parley") || !box.getAttribute("data-article")) return;
    box.setAttribute("data-parley", "loading");
    // Only a registered site gets a readable answer (CORS); elsewhere nothing is shown.
    fetch(parley + "/api/v1/embed/config", { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (config) {
        if (config && config.allowed) mount(box);
        else box.setAttribute("data-parley", "refused");
      })
      .catch(function () { box.setAttribute("data-parley", "refused"); });
  }

  function mount(box) {
    var style = getComputedStyle(box);
    var query = new URLSearchParams({
      article: box.getAttribute("data-article"),
      origin: location.origin,
      title: box.getAttribute("data-title") || document.title,
      url: box.getAttribute("data-url") || location.href.split("#")[0],
      font: style.fontFamily,
      size: style.fontSize,
      color: style.color
    });
    var frame = document.createElement("iframe");
    frame.src = parley + "/embed/thread?" + query.toString();
    frame.title = "Comments";
    frame.style.width = "100%";
    frame.style.height = "240px";
    frame.style.border = "0";
    frame.style.display = "block";
    frame.style.colorScheme = "normal";
    window.addEventListener("message", function (event) {
      // Only our own frame, speaking from Parley's origin, may resize it.
      if (event.origin !== parley || event.source !== frame.contentWindow) return;
      var data = event.data || {};
      if (data.type === "parley:height" && typeof data.height === "number" && data.height > 0) {
        frame.style.height = Math.min(Math.ceil(data.height), 200000) + "px";
      }
    });
    box.textContent = "";
    box.appendChild(frame);
    box.setAttribute("data-parley", "ready");
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
