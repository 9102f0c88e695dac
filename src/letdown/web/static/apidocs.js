// Starts Swagger UI on /docs from this host's own files (see letdown/api/docs.py).
(function () {
  var node = document.getElementById("swagger-ui");
  if (!node || typeof SwaggerUIBundle === "undefined") return;
  window.ui = SwaggerUIBundle({
    url: node.getAttribute("data-openapi"),
    dom_id: "#swagger-ui",
    layout: "BaseLayout",
    deepLinking: true,
    showExtensions: true,
    showCommonExtensions: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
})();
