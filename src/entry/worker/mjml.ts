// What `mjml` resolves to in the Worker bundle (wrangler.toml [alias]): mjml-browser, the MJML build that runs
// without Node, behind the same default export the Node renderer (src/mail/render-mjml.ts) imports.
import { returnWindow } from './mjml-global.js';
import mjml2html from 'mjml-browser';

// Module bodies run in import order: the global above is lent before mjml-browser loads, returned after.
returnWindow();

export default mjml2html;
