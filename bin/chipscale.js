#!/usr/bin/env node
// Thin launcher: the CLI lives in the built package (`npm run build` in a checkout; a packed package ships it built).
import("../build/src/cli/cli.js").catch((e) => {
  if (e && e.code === "ERR_MODULE_NOT_FOUND") {
    console.log(
      JSON.stringify({
        ok: false,
        errors: [{ path: "", message: "chipscale is not built: run npm run build" }],
      }),
    );
    process.exit(2);
  }
  throw e;
});
