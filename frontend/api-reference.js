// A plain rendering of /api/openapi.json: paths, methods, parameters, bodies and answers, with
// the schemas they name. Hand-written (no renderer from a CDN or npm): the page must load nothing
// from outside, and this is all a reader needs.
const root = document.getElementById('reference');

function el(tag, text, children = []) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  children.forEach(child => node.appendChild(child));
  return node;
}

function typeOf(schema) {
  if (!schema) return '';
  if (schema.$ref) return schema.$ref.split('/').pop();
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' | ');
  if (schema.type === 'array' || (Array.isArray(schema.type) && schema.type.includes('array'))) {
    return typeOf(schema.items) + '[]';
  }
  if (schema.properties) {
    return '{ ' + Object.entries(schema.properties).map(([k, v]) => k + ': ' + typeOf(v)).join(', ') + ' }';
  }
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type || 'any');
  return schema.format ? type + ' (' + schema.format + ')' : type;
}

function content(what) {
  return Object.entries(what || {}).map(([media, body]) => media + ': ' + typeOf(body.schema)).join('; ');
}

function operation(method, path, op) {
  const section = el('section');
  section.appendChild(el('h3', method.toUpperCase() + ' ' + path));
  if (op.summary || op.description) section.appendChild(el('p', op.summary || op.description));
  const auth = op.security && op.security.length === 0 ? 'No authentication.' : 'Bearer token, API key (hark_…) or the sign-in cookie.';
  section.appendChild(el('p', auth));
  if (op.parameters && op.parameters.length) {
    section.appendChild(el('ul', '', op.parameters.map(p =>
      el('li', p.in + ' ' + p.name + (p.required ? ' (required)' : '') + ': ' + typeOf(p.schema)
        + (p.description ? ' — ' + p.description : '')))));
  }
  if (op.requestBody) section.appendChild(el('p', 'Body: ' + content(op.requestBody.content)));
  section.appendChild(el('ul', '', Object.entries(op.responses || {}).map(([status, r]) =>
    el('li', status + ' ' + (r.description || '') + (r.content ? ' → ' + content(r.content) : '')))));
  return section;
}

async function render() {
  const answer = await fetch('/api/openapi.json');
  if (!answer.ok) {
    root.textContent = 'The API description could not be loaded (' + answer.status + ').';
    return;
  }
  const api = await answer.json();
  root.textContent = '';
  root.appendChild(el('p', api.info.description || ''));
  root.appendChild(el('h2', 'Operations'));
  Object.entries(api.paths || {}).forEach(([path, item]) =>
    Object.entries(item).forEach(([method, op]) => root.appendChild(operation(method, path, op))));
  root.appendChild(el('h2', 'Schemas'));
  Object.entries((api.components && api.components.schemas) || {}).forEach(([name, schema]) => {
    root.appendChild(el('h3', name));
    root.appendChild(el('ul', '', Object.entries(schema.properties || {}).map(([k, v]) =>
      el('li', k + ': ' + typeOf(v) + ((schema.required || []).includes(k) ? ' (always)' : '')))));
  });
}

render();
