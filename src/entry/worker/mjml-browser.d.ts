// mjml-browser ships no types; it is the same mjml2html as the full package.
declare module 'mjml-browser' {
  import mjml2html from 'mjml';
  export default mjml2html;
}
