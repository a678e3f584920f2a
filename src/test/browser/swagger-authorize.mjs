// Swagger UI with a working Authorize button: a person enters a client id and secret, presses Authorize, calls
// GET / and sees Hello World!; an endpoint whose scope the client lacks shows the 403. Run by run.sh against the
// running service and the real Keycloak, in Debian's Chromium. Screenshots go to target/browser/.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const api = process.env.API_URL ?? 'http://127.0.0.1:18081';
const clientId = process.env.TEST_CLIENT_ID ?? 'm2m-test-client';
const clientSecret = process.env.TEST_CLIENT_SECRET ?? 'm2m-test-secret';
const out = process.env.SCREENSHOT_DIR ?? 'target/browser';
mkdirSync(out, { recursive: true });

let passed = 0;
let failed = 0;
const check = (what, ok) => {
  console.log(`  ${ok ? 'ok' : 'FAILED'}: ${what}`);
  ok ? passed++ : failed++;
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
page.setDefaultTimeout(20_000);

async function tryOperation(method, path) {
  const block = page.locator(`.opblock-${method}`).filter({
    has: page.locator(`.opblock-summary-path[data-path="${path}"]`),
  }).first();
  await block.locator('.opblock-summary').first().click();
  await block.locator('button.try-out__btn').click();
  await block.locator('button.execute').click();
  const status = block.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor();
  const body = await block.locator('.live-responses-table').first().innerText();
  return { status: (await status.innerText()).trim(), body, block };
}

try {
  await page.goto(`${api}/q/swagger-ui/`);
  await page.locator('button.authorize').first().click();
  const dialog = page.locator('.modal-ux');
  await dialog.locator('input[type="text"]').first().fill(clientId);
  await dialog.locator('input[type="password"]').first().fill(clientSecret);
  await dialog.locator('.scopes .checkbox').filter({ hasText: 'read:messages' }).locator('label').first().click();
  await dialog.locator('button.modal-btn.auth.authorize').first().click();
  const loggedOut = dialog.locator('button.modal-btn.auth:has-text("Logout")');
  await loggedOut.first().waitFor();
  check('Authorize obtained a token from the issuer (client credentials)', await loggedOut.count() > 0);
  await dialog.locator('button.btn-done, button.close-modal').first().click();

  const hello = await tryOperation('get', '/');
  check(`GET / answers 200 (got ${hello.status})`, hello.status.startsWith('200'));
  check('GET / shows Hello World!', hello.body.includes('Hello World!'));
  await hello.block.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${out}/swagger-authorized-hello.png`, fullPage: true });

  const admin = await tryOperation('get', '/api/messages/admin');
  check(`GET /api/messages/admin answers 403 without admin:messages (got ${admin.status})`, admin.status.startsWith('403'));
  check('the 403 says insufficient_scope', admin.body.includes('insufficient_scope'));
  await page.screenshot({ path: `${out}/swagger-forbidden-admin.png`, fullPage: true });
} catch (e) {
  check(`the walk through Swagger UI finished (${e.message.split('\n')[0]})`, false);
  await page.screenshot({ path: `${out}/swagger-failure.png`, fullPage: true }).catch(() => {});
} finally {
  await browser.close();
}
console.log(`browser-test: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
