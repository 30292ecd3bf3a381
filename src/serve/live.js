// newsdigest serve: live reload. Added to HTML pages by the preview server only; never part
// of a built site. Listens to the server's events, reloads this tab when its page changed,
// swaps changed stylesheets without a reload, and shows build errors in an overlay.
(function () {
  "use strict";
  if (window.__newsdigestLive) return;
  var script = document.currentScript;
  var mine = ((script && script.getAttribute("data-file")) || "").split(" ");
  var server = null;
  var OVERLAY = "newsdigest-overlay";
  var ASSET = /\.(m?js|png|jpe?g|gif|svg|webp|avif|ico|woff2?|ttf|otf)$/;

  function plain(f) {
    return f.replace(/\.(br|gz)$/, "");
  }

  function swapStylesheets(files, build) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      if (files.indexOf(url.pathname.replace(/^\//, "")) < 0) return;
      url.searchParams.set("newsdigest", String(build));
      var fresh = link.cloneNode();
      fresh.href = url.href;
      // The old sheet stays until the new one has loaded, so the page never flashes unstyled.
      fresh.addEventListener("load", function () { link.remove(); });
      fresh.addEventListener("error", function () { link.remove(); });
      link.after(fresh);
    });
  }

  function onChange(d) {
    if (d.all) { location.reload(); return; }
    var files = (d.files || []).map(plain);
    var css = files.filter(function (f) { return /\.css$/.test(f); });
    var other = files.filter(function (f) { return !/\.css$/.test(f); });
    var mineChanged = other.some(function (f) { return mine.indexOf(f) >= 0; });
    if (mineChanged || other.some(function (f) { return ASSET.test(f); })) {
      location.reload();
      return;
    }
    if (css.length) swapStylesheets(css, d.build);
  }

  function el(tag, style, text) {
    var e = document.createElement(tag);
    if (style) e.setAttribute("style", style);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function problemText(p) {
    var where = p.path ? p.path + (p.line ? ":" + p.line : "") + ": " : "";
    return where + p.message;
  }

  function showOverlay(s) {
    var old = document.getElementById(OVERLAY);
    if (old) old.remove();
    var problems = (s.fatal ? [s.fatal] : []).concat(s.errors || []);
    if (!problems.length) return;
    var box = el("div",
      "position:fixed;left:0;right:0;bottom:0;z-index:2147483647;max-height:50vh;overflow:auto;" +
      "background:#1b1b1f;color:#f3f3f3;border-top:4px solid #d33;padding:12px 16px;" +
      "font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    var close = el("button",
      "float:right;background:none;border:1px solid #888;color:inherit;cursor:pointer;" +
      "font:inherit;padding:0 6px", "\u00d7");
    close.setAttribute("aria-label", "Hide build errors");
    close.addEventListener("click", function () { box.remove(); });
    box.appendChild(close);
    var title = s.fatal
      ? "Build failed: the page shows the last good build. Fix the problem and it rebuilds."
      : problems.length + (problems.length === 1 ? " file" : " files") +
        " could not be built; the rest of the site is up to date.";
    box.appendChild(el("strong", "color:#ff8a8a;display:block;margin-bottom:6px", title));
    var list = el("ul", "margin:0;padding-left:18px");
    problems.forEach(function (p) {
      var item = el("li", "white-space:pre-wrap;margin:2px 0", problemText(p));
      item.className = "newsdigest-problem";
      list.appendChild(item);
    });
    box.appendChild(list);
    (document.body || document.documentElement).appendChild(box);
  }

  function onStatus(s) {
    if (server !== null && s.server !== server) { location.reload(); return; }
    server = s.server;
    window.__newsdigestLive.status = s;
    showOverlay(s);
  }

  window.__newsdigestLive = { status: null };
  var source = new EventSource("/__newsdigest/events");
  source.addEventListener("status", function (e) { onStatus(JSON.parse(e.data)); });
  source.addEventListener("change", function (e) { onChange(JSON.parse(e.data)); });
})();
