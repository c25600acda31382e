// Runs TypeScript entry points (benchmarks, corpus check) without a build step: transpiles each
// .ts file on require with the project's compiler options and resolves the path aliases.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');
const tsconfigPaths = require('tsconfig-paths');

const root = path.resolve(__dirname, '..');
const { config } = ts.readConfigFile(path.join(root, 'tsconfig.json'), ts.sys.readFile);
const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root);
const compilerOptions = { ...parsed.options, module: ts.ModuleKind.CommonJS, sourceMap: false, inlineSourceMap: true };

tsconfigPaths.register({ baseUrl: root, paths: parsed.options.paths ?? {} });

require.extensions['.ts'] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
