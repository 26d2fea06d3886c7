import ts from 'typescript';

/** One reason a file would not run on k6 0.45. */
export interface SyntaxProblem {
  line: number;
  message: string;
}

const ALLOWED_IMPORT = /^(k6(\/[\w-]+)*|\.{1,2}\/.*)$/;

/**
 * Problems that keep a loadtests/ file from running unchanged on k6 0.45 and newer: imports
 * other than `k6*` modules and relative paths, and syntax newer than ES2017. Parsed with
 * TypeScript's parser (a real parser; a regex would miss `?.` in odd places and trip on strings).
 */
export function k6CompatibilityProblems(fileName: string, text: string): SyntaxProblem[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const problems: SyntaxProblem[] = [];
  const report = (node: ts.Node, message: string): void => {
    problems.push({ line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, message });
  };
  const parseErrors = (source as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  for (const d of parseErrors) {
    problems.push({
      line: source.getLineAndCharacterOfPosition(d.start ?? 0).line + 1,
      message: `syntax error: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    });
  }
  const checkSpecifier = (node: ts.Node, specifier: ts.Expression | undefined): void => {
    if (!specifier || !ts.isStringLiteral(specifier)) return;
    if (!ALLOWED_IMPORT.test(specifier.text)) report(node, `import of "${specifier.text}" (only k6* modules and relative paths)`);
  };
  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case ts.SyntaxKind.ImportDeclaration:
        checkSpecifier(node, (node as ts.ImportDeclaration).moduleSpecifier);
        break;
      case ts.SyntaxKind.ExportDeclaration: {
        const e = node as ts.ExportDeclaration;
        checkSpecifier(node, e.moduleSpecifier);
        if (e.exportClause && ts.isNamespaceExport(e.exportClause)) report(node, '`export * as ns` (ES2020)');
        break;
      }
      case ts.SyntaxKind.CallExpression: {
        const c = node as ts.CallExpression;
        if (c.expression.kind === ts.SyntaxKind.ImportKeyword) report(node, 'dynamic import() (ES2020)');
        if (ts.isIdentifier(c.expression) && c.expression.text === 'require') report(node, 'require() (CommonJS; k6 scripts are ES modules)');
        if (c.questionDotToken) report(node, 'optional call `?.()` (ES2020)');
        break;
      }
      case ts.SyntaxKind.PropertyAccessExpression:
      case ts.SyntaxKind.ElementAccessExpression:
        if ((node as ts.PropertyAccessExpression | ts.ElementAccessExpression).questionDotToken) report(node, 'optional chaining `?.` (ES2020)');
        break;
      case ts.SyntaxKind.MetaProperty:
        if ((node as ts.MetaProperty).keywordToken === ts.SyntaxKind.ImportKeyword) report(node, 'import.meta (ES2020)');
        break;
      case ts.SyntaxKind.BinaryExpression: {
        const op = (node as ts.BinaryExpression).operatorToken.kind;
        if (op === ts.SyntaxKind.QuestionQuestionToken) report(node, 'nullish coalescing `??` (ES2020)');
        if (op === ts.SyntaxKind.QuestionQuestionEqualsToken || op === ts.SyntaxKind.BarBarEqualsToken || op === ts.SyntaxKind.AmpersandAmpersandEqualsToken) {
          report(node, 'logical assignment (ES2021)');
        }
        if (op === ts.SyntaxKind.AsteriskAsteriskToken || op === ts.SyntaxKind.AsteriskAsteriskEqualsToken) report(node, 'exponent operator (use Math.pow)');
        break;
      }
      case ts.SyntaxKind.SpreadAssignment:
        report(node, 'object spread `{...x}` (ES2018)');
        break;
      case ts.SyntaxKind.BindingElement: {
        const b = node as ts.BindingElement;
        if (b.dotDotDotToken && ts.isObjectBindingPattern(b.parent)) report(node, 'object rest `{...rest}` (ES2018)');
        break;
      }
      case ts.SyntaxKind.PropertyDeclaration:
        report(node, 'class field (ES2022)');
        break;
      case ts.SyntaxKind.ClassStaticBlockDeclaration:
        report(node, 'class static block (ES2022)');
        break;
      case ts.SyntaxKind.PrivateIdentifier:
        report(node, 'private name `#x` (ES2022)');
        break;
      case ts.SyntaxKind.BigIntLiteral:
        report(node, 'BigInt literal (ES2020)');
        break;
      case ts.SyntaxKind.NumericLiteral:
        if (node.getText(source).includes('_')) report(node, 'numeric separator (ES2021)');
        break;
      case ts.SyntaxKind.ForOfStatement:
        if ((node as ts.ForOfStatement).awaitModifier) report(node, '`for await` (ES2018)');
        break;
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.MethodDeclaration: {
        const f = node as ts.FunctionLikeDeclarationBase;
        const isAsync = (ts.getCombinedModifierFlags(f as ts.Declaration) & ts.ModifierFlags.Async) !== 0;
        if (f.asteriskToken && isAsync) report(node, 'async generator (ES2018)');
        break;
      }
      case ts.SyntaxKind.CatchClause:
        if (!(node as ts.CatchClause).variableDeclaration) report(node, 'catch without a binding (ES2019)');
        break;
      case ts.SyntaxKind.RegularExpressionLiteral: {
        const re = node.getText(source);
        const flags = re.slice(re.lastIndexOf('/') + 1);
        if (/[sd v]/.test(flags)) report(node, `regular expression flag in /${flags} (ES2018+)`);
        if (/\(\?<[=!]/.test(re)) report(node, 'regular expression lookbehind (ES2018)');
        if (/\(\?<[A-Za-z_$]/.test(re) || /\\k</.test(re)) report(node, 'regular expression named group (ES2018)');
        if (/\\[pP]\{/.test(re)) report(node, 'regular expression Unicode property escape (ES2018)');
        break;
      }
      case ts.SyntaxKind.AwaitExpression: {
        let p: ts.Node | undefined = node.parent;
        while (p && !ts.isFunctionLike(p)) p = p.parent;
        if (!p) report(node, 'top-level await (ES2022)');
        break;
      }
      default:
        break;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return problems;
}
