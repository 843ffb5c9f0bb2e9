// Every module of the page: plain JavaScript that compiles as a classic script (as the report
// inlines it), strict, with no template syntax, adding itself to the themescope namespace.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const PAGE = path.join(__dirname, "..", "..", "themescope", "reports", "page");
const modules = fs.readdirSync(PAGE).filter((name) => name.endsWith(".js"));

test("each module compiles as a classic script, strict, without template syntax", () => {
  assert.ok(modules.length > 10);
  for (const name of modules) {
    const code = fs.readFileSync(path.join(PAGE, name), "utf8");
    assert.doesNotThrow(() => new vm.Script(code, { filename: name }), name);
    assert.ok(code.includes('"use strict";'), `${name}: not strict`);
    for (const syntax of ["{{", "{%", "{#"]) assert.ok(!code.includes(syntax), `${name}: holds ${syntax}`);
    assert.ok(!/<\/?script|<!--/i.test(code), `${name}: holds <script, </script or <!--`);
    assert.match(code, /globalThis\.themescope = globalThis\.themescope \|\| \{\}/, name);
  }
});
