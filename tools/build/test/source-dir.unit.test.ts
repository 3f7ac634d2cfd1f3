import { rewriteDirname, staticDirnameRequires } from '../src/source-dir';

describe('rewriteDirname (bundled code finds the files next to its source)', () => {
  it('when a module joins __dirname, then the bundle joins the copy of its source folder under dist/files', () => {
    const code = "export const DIR = join(__dirname, '..', 'migrations');";
    expect(rewriteDirname(code, 'services/projector/src')).toBe(
      "export const DIR = join(require('node:path').join(__dirname, \"../files/services/projector/src\"), '..', 'migrations');",
    );
  });

  it('when a module compares with __dirname, then every use is rewritten alike', () => {
    const out = rewriteDirname('f(from = __dirname) { return from === __dirname; }', 'libs/config/src');
    expect(out.match(/join\(__dirname, "\.\.\/files\/libs\/config\/src"\)/g)).toHaveLength(2);
  });

  it('when a module does not use __dirname, then it is left as it is', () => {
    const code = 'const dirname_ = 1; const my__dirnameX = 2;';
    expect(rewriteDirname(code, 'libs/x/src')).toBe(code);
  });
});

describe('staticDirnameRequires (a dependency requiring its own file by __dirname)', () => {
  it("when a dependency calls require(__dirname + '/file.js'), then it becomes a relative require", () => {
    expect(staticDirnameRequires("var m = require(__dirname + '/reserved.js');")).toBe(
      "var m = require('./reserved.js');",
    );
  });

  it('when __dirname is used otherwise, then the code is left as it is', () => {
    const code = 'var p = path.join(__dirname, "x"); require(__dirname + dynamicName);';
    expect(staticDirnameRequires(code)).toBe(code);
  });
});
