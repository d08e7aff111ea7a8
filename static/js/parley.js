// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // Over the limit: say so beside the text and keep it; the server would refuse it anyway.
    var over = form.querySelector("textarea[data-max-length].is-over");
    if (over) {
      event.preventDefault();
      count(over, true);
      over.focus();
    }
  });

  // --- a live count of characters against the server's limit (no maxlength: it cuts pastes) --

  function count(area, loudly) {
    var limit = parseInt(area.getAttribute("data-max-length"), 10);
    var out = document.getElementById(area.getAttribute("data-counter"));
    if (!out || !limit) return;
    // The server counts code points after turning CRLF into LF; so does this.
    var length = Array.from(area.value.replace(/\r\n/g, "\n")).length;
    var over = length - limit;
    area.classList.toggle("is-over", over > 0);
    out.classList.toggle("error", over > 0);
    if (over > 0) {
      area.setAttribute("aria-invalid", "true");
      out.textContent = length.toLocaleString() + " characters: " + over.toLocaleString() +
        " over the limit of " + limit.toLocaleString() + ". Shorten it before posting; your text stays here.";
      if (loudly) out.setAttribute("role", "alert");
    } else {
      if (!area.closest(".has-error") && !document.getElementById(area.id + "-error")) area.removeAttribute("aria-invalid");
      out.removeAttribute("role");
      out.textContent = length ? length.toLocaleString() + " of " + limit.toLocaleString() + " characters" : "";
    }
  }

  function watchCounter(area) {
    var out = document.getElementById(area.getAttribute("data-counter"));
    // Polite, but only on a pause in typing: a count per keystroke would drown a screen reader.
    var timer = null;
    area.addEventListener("input", function () {
      if (out) out.setAttribute("aria-live", "off");
      count(area, false);
      clearTimeout(timer);
      timer = setTimeout(function () { if (out) out.setAttribute("aria-live", "polite"); }, 800);
    });
    count(area, false);
  }

  function watchCounters() {
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-max-length]"), watchCounter);
  }

  // --- a comment's Reply and Report: the page's one form of each, copied in when opened -------
  // (service/articles/comment_html.py). Without this script the folded part holds a link to
  // the page with that comment's form written in.

  function fillForm(details) {
    var template = document.getElementById(details.getAttribute("data-form") + "-form");
    if (!template || details.querySelector("form")) return;
    var id = details.getAttribute("data-id");
    if (!/^[0-9]+$/.test(id)) return;
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.split("__ID__").join(id);  // ids are digits: nothing to escape
    var form = holder.querySelector("form");
    var to = details.getAttribute("data-to");
    var label = form.querySelector("label");
    if (to && label) label.textContent = label.textContent + " " + to;  // text, never markup
    var link = details.querySelector(".form-link");
    if (link) link.parentNode.removeChild(link);
    details.appendChild(form);
    Array.prototype.forEach.call(form.querySelectorAll("textarea[data-max-length]"), watchCounter);
    var first = form.querySelector("textarea, select");
    if (first) first.focus();
  }

  // "toggle" does not bubble: listen while it passes down (capture).
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.open && details.hasAttribute && details.hasAttribute("data-form")) fillForm(details);
  }, true);

  // --- Cancel on an inline form closes it and puts the text back as it was --------------------

  document.addEventListener("click", function (event) {
    var cancel = event.target.closest && event.target.closest("[data-close-details]");
    if (!cancel) return;
    var details = cancel.closest("details");
    setTimeout(function () {  // after the reset has put the text back
      Array.prototype.forEach.call(details.querySelectorAll("textarea[data-max-length]"), function (a) { count(a, false); });
      details.open = false;
      details.querySelector("summary").focus();
    }, 0);
  });

  // --- long comments fold behind "Read more" ------------------------------------------------

  function foldLongComments() {
    var bodies = document.querySelectorAll(".comment-body[data-long]");
    Array.prototype.forEach.call(bodies, function (body, i) {
      if (!body.id) body.id = "long-comment-" + i;
      body.classList.add("is-folded");
      var more = document.createElement("button");
      more.type = "button";
      more.className = "link read-more";
      more.textContent = "Read more";
      more.setAttribute("aria-expanded", "false");
      more.setAttribute("aria-controls", body.id);
      more.addEventListener("click", function () {
        var folded = body.classList.toggle("is-folded");
        more.textContent = folded ? "Read more" : "Show less";
        more.setAttribute("aria-expanded", String(!folded));
      });
      body.parentNode.insertBefore(more, body.nextSibling);
    });
  }

  // --- folded on phones, open on wide screens (the queue's filters) --------------------------

  function openWhenWide() {
    if (!window.matchMedia || !window.matchMedia("(min-width: 701px)").matches) return;
    Array.prototype.forEach.call(document.querySelectorAll("details[data-open-when-wide]"), function (d) { d.open = true; });
  }

  // A refused form's error summary takes focus, so what to fix is heard and seen first.
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  watchCounters();
  foldLongComments();
  openWhenWide();
})();
