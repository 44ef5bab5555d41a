// Swagger UI from the npm package, on this app's own OpenAPI description.
"use strict";
const specNode = document.getElementById("swagger-ui");
if (specNode && window.SwaggerUIBundle) {
  window.SwaggerUIBundle({url: specNode.dataset.spec, dom_id: "#swagger-ui", deepLinking: false,
                          validatorUrl: null});
}
