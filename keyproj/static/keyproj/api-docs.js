/* /api/docs/: Swagger UI over the application's own schema, from the application's own files.
   No validator badge (it would fetch an image from another site). "Try it out" runs as the signed-in
   user: the session cookie goes along, and changes carry the CSRF token that Django asks for. */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || !window.SwaggerUIBundle) return;

  function cookie(name) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  window.SwaggerUIBundle({
    url: root.getAttribute("data-schema-url"),
    domNode: root,
    validatorUrl: null,
    deepLinking: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    requestInterceptor: function (request) {
      if (!/^(GET|HEAD|OPTIONS)$/i.test(request.method || "GET")) {
        var token = cookie("csrftoken");
        if (token) request.headers["X-CSRFToken"] = token;
      }
      return request;
    },
  });
})();
