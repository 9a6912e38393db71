import express, { Router } from 'express';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import type { OpenApiDocument } from './openapi-document.js';

/** swagger-ui's files the page loads; nothing else of the package is served. */
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png']);

// Relative URLs throughout, so the page also works behind a proxy that mounts the api under a path.
const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>notify api</title>
  <link rel="stylesheet" href="swagger-ui.css">
  <link rel="icon" type="image/png" href="favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="swagger-ui-bundle.js"></script>
  <script src="swagger-ui-standalone-preset.js"></script>
  <script src="init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({
  url: new URL('../openapi.json', document.baseURI).href,
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});
`;

/** `GET /openapi.json` and the Swagger UI page at `/docs/`, served from swagger-ui-dist (no CDN). */
export function docsRouter(document: OpenApiDocument): Router {
  const router = Router();
  const body = JSON.stringify(document);
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(body);
  });
  router.get('/docs', (req, res) => {
    // The page's relative asset URLs need the trailing slash (`docs/` resolves next to `/docs`).
    if (!req.path.endsWith('/')) {
      res.redirect(301, 'docs/');
      return;
    }
    res.type('html').send(PAGE);
  });
  const assets = express.static(getAbsoluteFSPath(), { index: false, redirect: false, maxAge: '1h' });
  router.use('/docs', (req, res, next) => {
    const name = req.path.slice(1);
    if (name === 'init.js') res.type('text/javascript').send(INIT);
    else if (ASSETS.has(name)) assets(req, res, next);
    else next();
  });
  return router;
}
