// Enforces the runtime layers (as VS Code's code-layering rule does): each folder may import only the
// layers below it. Imports are resolved to files first, so `../../main/x` and `src/main/x` are caught alike.
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Which layer a file belongs to, from its path under src/. Order matters: app before main. */
export function layerOf(file, root) {
  const rel = relative(root, file).split(sep).join('/');
  if (rel.startsWith('src/shared/')) return 'shared';
  if (rel.startsWith('src/main/app/')) return 'app';
  if (rel.startsWith('src/main/')) return 'domain';
  if (rel.startsWith('src/preload/')) return 'preload';
  if (rel.startsWith('src/renderer/')) return 'renderer';
  return null;
}

/** For each layer: which of our layers it may import, and whether `electron` and Node builtins are allowed. */
const RULES = {
  shared: { ours: ['shared'], electron: false, node: false },
  domain: { ours: ['shared', 'domain'], electron: false, node: true },
  app: { ours: ['shared', 'domain', 'app'], electron: true, node: true },
  preload: { ours: ['shared', 'preload'], electron: true, node: false },
  renderer: { ours: ['shared', 'renderer'], electron: false, node: false },
};

const DESCRIPTIONS = {
  shared: 'src/shared (no runtime)',
  domain: 'src/main/<domain> (plain Node)',
  app: 'src/main/app (Electron main)',
  preload: 'src/preload',
  renderer: 'src/renderer (browser)',
};

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Keep each runtime layer to the imports it may use (see docs/architecture.md).' },
    schema: [],
    messages: {
      layer: '{{from}} may not import {{to}} ("{{source}}"). See the layer rules in docs/architecture.md.',
      electron: '{{from}} may not import electron: only src/main/app and src/preload may.',
      node: '{{from}} may not import the Node builtin "{{source}}": it does not run in Node.',
    },
  },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const from = layerOf(file, root);
    if (!from) return {};
    const rule = RULES[from];

    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (source === 'electron' || source.startsWith('electron/')) {
        if (!rule.electron)
          context.report({ node, messageId: 'electron', data: { from: DESCRIPTIONS[from] } });
        return;
      }
      if (NODE_BUILTINS.has(source)) {
        if (!rule.node)
          context.report({ node, messageId: 'node', data: { from: DESCRIPTIONS[from], source } });
        return;
      }
      let target = null;
      if (source.startsWith('.')) target = resolve(dirname(file), source);
      else if (source.startsWith('src/')) target = resolve(root, source);
      if (!target) return; // An npm package: dependency policy is package.json's business.
      // A path that names a folder (`../main`) still lands in that folder's layer.
      const to = layerOf(join(target, 'x'), root);
      if (to && !rule.ours.includes(to)) {
        context.report({
          node,
          messageId: 'layer',
          data: { from: DESCRIPTIONS[from], to: DESCRIPTIONS[to], source },
        });
      }
    };

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      CallExpression: (node) => {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments[0]?.type === 'Literal'
        ) {
          check(node.arguments[0], node.arguments[0].value);
        }
      },
    };
  },
};
