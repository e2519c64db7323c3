// Shows the contract served at /api/v1/openapi.json with Swagger UI
// (vendored in swagger-ui/, see its package.json for the version).
window.ui = SwaggerUIBundle({
  url: "/api/v1/openapi.json",
  dom_id: "#api",
  deepLinking: true,
  tryItOutEnabled: false,
  persistAuthorization: false
});
