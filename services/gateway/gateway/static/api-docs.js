// Swagger UI for the platform's public OpenAPI document (/api/v1/docs); a file, not an inline
// script, so the page keeps a strict Content-Security-Policy.
window.addEventListener("DOMContentLoaded", function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.url,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
  });
});
