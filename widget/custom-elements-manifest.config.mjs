/**
 * `npm run manifest`: custom-elements.json, the elements' public API (attributes, properties,
 * events, parts, CSS properties, from their JSDoc) for IDEs and Storybook-style tools. Committed;
 * test/node/widget-manifest.test.ts fails when it no longer matches the code. Views that only
 * live inside <edgedesk-tickets> or <edgedesk-console> are marked @internal and left out.
 */
export default {
  globs: ["widget/index.ts", "widget/console.ts", "widget/events.ts", "widget/elements/*.ts", "widget/console/*.ts"],
  // Styles and the views' render helpers.
  exclude: [
    "widget/elements/*.styles.ts",
    "widget/elements/ticket-status.ts",
    "widget/elements/attachment-list.ts",
    "widget/elements/ticket-thread-staff.ts",
    // The console's views (marked @internal) are kept; its helpers are not API.
    "widget/console/*.styles.ts",
    "widget/console/{enums,format,presence,route,text,types,ticket-panels}.ts",
    "widget/console/{admin-text,form-kit,settings-hours,settings-secrets,settings-sections}.ts",
  ],
  outdir: ".",
  litelement: true,
  // package.json names the manifest itself ("customElements"); the analyzer must not rewrite it.
  packagejson: false,
  plugins: [publicApiOnly()],
};

/**
 * Leaves out what is not API: Lit's internal reactive state (`state: true` in `static
 * properties`, which the analyzer would list as attributes), #private members, the nameless
 * events the analyzer infers from `dispatchEvent(new SomeEvent())` (the @fires tags name them),
 * and declarations a module does not export.
 */
function publicApiOnly() {
  /** Class name → its `state: true` properties. */
  const states = new Map();
  return {
    name: "edgedesk-public-api-only",
    analyzePhase({ ts, node }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      for (const member of node.members) {
        if (
          !ts.isPropertyDeclaration(member) ||
          member.name.getText() !== "properties" ||
          !member.initializer ||
          !ts.isObjectLiteralExpression(member.initializer)
        )
          continue;
        const state = member.initializer.properties.filter(
          (p) =>
            ts.isPropertyAssignment(p) &&
            ts.isObjectLiteralExpression(p.initializer) &&
            p.initializer.properties.some(
              (o) =>
                ts.isPropertyAssignment(o) &&
                o.name.getText() === "state" &&
                o.initializer.kind === ts.SyntaxKind.TrueKeyword,
            ),
        );
        states.set(node.name.getText(), new Set(state.map((p) => p.name.getText())));
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        const exported = new Set((module.exports ?? []).map((e) => e.declaration.name));
        module.declarations = (module.declarations ?? []).filter((d) => exported.has(d.name));
        for (const declaration of module.declarations) {
          const state = states.get(declaration.name) ?? new Set();
          if (declaration.members)
            declaration.members = declaration.members.filter(
              (m) => m.privacy !== "private" && !state.has(m.name) && !(m.static && m.name === "shadowRootOptions"),
            );
          if (declaration.attributes)
            declaration.attributes = declaration.attributes.filter((a) => !state.has(a.fieldName ?? a.name));
          if (declaration.events) declaration.events = declaration.events.filter((e) => e.name);
        }
      }
    },
  };
}
