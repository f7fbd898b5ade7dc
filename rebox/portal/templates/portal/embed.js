{% autoescape off %}/* Rebox returns policy snippet. Put it where the policy should show:
   <script src=".../s/<store>/returns-policy/embed.js" data-product="<handle>" data-country="DK" data-lang="da"></script>
   Optional: data-sku instead of data-product. It inserts an iframe right after the tag. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.parentNode) return;
  var origin = new URL(script.src, document.baseURI).origin;
  var url = new URL({{ embed_path }}, origin);
  ["product", "sku", "country", "lang"].forEach(function (name) {
    var value = script.getAttribute("data-" + name);
    if (value) url.searchParams.set(name, value);
  });
  var frame = document.createElement("iframe");
  frame.src = url.toString();
  frame.title = script.getAttribute("data-title") || {{ title }};
  frame.loading = "lazy";
  frame.style.cssText = "border:0;display:block;width:100%;max-width:32rem;height:9rem;";
  script.parentNode.insertBefore(frame, script.nextSibling);
  window.addEventListener("message", function (event) {
    if (event.source !== frame.contentWindow || event.origin !== origin) return;
    var data = event.data || {};
    if (data.type === "rebox:policy-height" && data.height > 0) {
      frame.style.height = Math.ceil(data.height) + "px";
    }
  });
})();
{% endautoescape %}
